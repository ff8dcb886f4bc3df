fn main() {
    let arg = std::env::args().nth(1).unwrap();
    let v: serde_json::Value = serde_json::from_str(&arg).unwrap();
    let beam = is456::Beam::from_json(&v).unwrap();
    println!(
        "{}",
        serde_json::to_string_pretty(&is456::design(&beam)).unwrap()
    );
}
