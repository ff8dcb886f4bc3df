//! The short texts of a result — bar callouts (`3-16φ`), stirrups (`2L-8φ@150`), bar marks (`T1`) —
//! written digit by digit. A member's result holds a few hundred of them, and the general formatting
//! machinery (a dynamic dispatch per piece, a buffer grown as it goes) cost a tenth of its design.

/// Appends `n` in decimal.
pub(crate) fn push_int(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        // `rest % 10` is a single decimal digit.
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&b| char::from(b)));
}

/// Appends `3-16φ`: `count` bars of `dia` mm.
pub(crate) fn push_bars(out: &mut String, count: u32, dia: u32) {
    push_int(out, count);
    out.push('-');
    push_int(out, dia);
    out.push('φ');
}

/// `3-16φ`: `count` bars of `dia` mm.
pub(crate) fn bars(count: u32, dia: u32) -> String {
    let mut out = String::with_capacity(8);
    push_bars(&mut out, count, dia);
    out
}

/// Appends `2L-8φ`: stirrups of `legs` legs of `dia` mm.
pub(crate) fn push_links(out: &mut String, legs: u32, dia: u32) {
    push_int(out, legs);
    out.push_str("L-");
    push_int(out, dia);
    out.push('φ');
}

/// `2L-8φ@150`: stirrups of `legs` legs of `dia` mm at `spacing` mm.
pub(crate) fn links_at(legs: u32, dia: u32, spacing: u32) -> String {
    let mut out = String::with_capacity(14);
    push_links(&mut out, legs, dia);
    out.push('@');
    push_int(&mut out, spacing);
    out
}

/// `T1`, `S3`: a prefix and a number.
pub(crate) fn numbered(prefix: &str, n: usize) -> String {
    let mut out = String::with_capacity(prefix.len() + 3);
    out.push_str(prefix);
    push_int(&mut out, u32::try_from(n).unwrap_or(u32::MAX));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_as_the_formatter_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 4_294_967_295] {
            let mut s = String::new();
            push_int(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        assert_eq!(bars(3, 16), "3-16φ");
        assert_eq!(links_at(2, 8, 150), "2L-8φ@150");
        assert_eq!(numbered("T", 12), "T12");
    }
}
