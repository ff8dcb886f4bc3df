//! Designs a member from a JSON file and prints the result: `cargo run -p is456 --example member -- FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("a member JSON file");
    let text = std::fs::read_to_string(path).expect("readable");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    match is456::Member::from_json(&value) {
        Ok(m) => println!(
            "{}",
            serde_json::to_string_pretty(&is456::design_member(&m)).expect("JSON")
        ),
        Err(e) => println!("{e}"),
    }
}
