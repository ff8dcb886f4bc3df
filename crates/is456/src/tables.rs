//! Tabulated values of IS 456:2000 and the interpolation rule that goes with each table.

/// Modulus of elasticity of steel, N/mm² (Cl 5.6.3).
pub const ES: f64 = 200_000.0;
/// Limiting compressive strain of concrete in flexure (Cl 38.1 b).
pub const ECU: f64 = 0.0035;

/// Bar diameters the engine may choose for main (longitudinal) bars, mm (docs/api.md).
pub const MAIN_BAR_DIAS: [u32; 8] = [10, 12, 16, 20, 25, 28, 32, 36];
/// Stirrup diameters a user may ask for, mm (docs/api.md).
pub const STIRRUP_DIAS: [u32; 5] = [6, 8, 10, 12, 16];

/// Cross-sectional area of one round bar, mm².
pub fn bar_area(dia: u32) -> f64 {
    let d = f64::from(dia);
    std::f64::consts::PI * d * d / 4.0
}

/// The `pt` rows of Table 19, percent.
const TABLE_19_PT: [f64; 13] = [
    0.15, 0.25, 0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 2.00, 2.25, 2.50, 2.75, 3.00,
];

/// Table 19 columns: (grade, τc for each `pt` row), N/mm².
const TABLE_19: [(f64, [f64; 13]); 6] = [
    (
        15.0,
        [
            0.28, 0.35, 0.46, 0.54, 0.60, 0.64, 0.68, 0.71, 0.71, 0.71, 0.71, 0.71, 0.71,
        ],
    ),
    (
        20.0,
        [
            0.28, 0.36, 0.48, 0.56, 0.62, 0.67, 0.72, 0.75, 0.79, 0.81, 0.82, 0.82, 0.82,
        ],
    ),
    (
        25.0,
        [
            0.29, 0.36, 0.49, 0.57, 0.64, 0.70, 0.74, 0.78, 0.82, 0.85, 0.88, 0.90, 0.92,
        ],
    ),
    (
        30.0,
        [
            0.29, 0.37, 0.50, 0.59, 0.66, 0.71, 0.76, 0.80, 0.84, 0.88, 0.91, 0.94, 0.96,
        ],
    ),
    (
        35.0,
        [
            0.29, 0.37, 0.50, 0.59, 0.67, 0.73, 0.78, 0.82, 0.86, 0.90, 0.93, 0.96, 0.99,
        ],
    ),
    (
        40.0,
        [
            0.30, 0.38, 0.51, 0.60, 0.68, 0.74, 0.79, 0.84, 0.88, 0.92, 0.95, 0.98, 1.01,
        ],
    ),
];

/// Table 20: (grade, τc,max), N/mm².
const TABLE_20: [(f64, f64); 6] = [
    (15.0, 2.5),
    (20.0, 2.8),
    (25.0, 3.1),
    (30.0, 3.5),
    (35.0, 3.7),
    (40.0, 4.0),
];

/// Index of the table column for `fck`: the highest tabulated grade not above `fck` (a grade between
/// columns takes the lower one, which is the safe side), M15 for anything below M15, M40 for M40 and above.
fn grade_column(grades: impl Iterator<Item = f64>, fck: f64) -> usize {
    grades
        .enumerate()
        .take_while(|&(i, g)| i == 0 || g <= fck)
        .last()
        .map_or(0, |(i, _)| i)
}

/// Design shear strength of concrete τc, Table 19 (Cl 40.2.1). `pt` in percent of tension steel provided:
/// clamped to 0.15–3.0, linear between rows; the grade column is the lower tabulated grade.
pub fn tau_c(fck: f64, pt: f64) -> f64 {
    let col = &TABLE_19[grade_column(TABLE_19.iter().map(|c| c.0), fck)].1;
    let pt = pt.clamp(TABLE_19_PT[0], TABLE_19_PT[12]);
    let i = TABLE_19_PT
        .windows(2)
        .position(|w| pt <= w[1])
        .unwrap_or(TABLE_19_PT.len() - 2);
    let (p0, p1) = (TABLE_19_PT[i], TABLE_19_PT[i + 1]);
    col[i] + (col[i + 1] - col[i]) * (pt - p0) / (p1 - p0)
}

/// Maximum shear stress τc,max, Table 20 (Cl 40.2.3); lower tabulated grade, M40 and above 4.0.
pub fn tau_c_max(fck: f64) -> f64 {
    TABLE_20[grade_column(TABLE_20.iter().map(|c| c.0), fck)].1
}

/// Design bond stress τbd for plain bars in tension, Cl 26.2.1.1 (M20 1.2 … M40 and above 1.9).
/// IS 456:2000 tabulates no value below M20; grades below M20 take 1.0, the M15 value of the
/// code's previous edition (lower than M20's, so on the safe side).
pub fn tau_bd_plain(fck: f64) -> f64 {
    const TABLE: [(f64, f64); 6] = [
        (0.0, 1.0),
        (20.0, 1.2),
        (25.0, 1.4),
        (30.0, 1.5),
        (35.0, 1.7),
        (40.0, 1.9),
    ];
    TABLE[grade_column(TABLE.iter().map(|c| c.0), fck)].1
}

/// Maximum clear distance between tension bars, Table 15 (Cl 26.3.3 b), no redistribution.
/// Tabulated for Fe250/415/500; a grade between takes the value of the next higher grade (smaller, so
/// safe), and a grade above Fe500 scales the Fe500 value by 500/fy (the table's trend of constant fy·s).
pub fn max_clear_spacing(fy: f64) -> f64 {
    if fy <= 250.0 {
        300.0
    } else if fy <= 415.0 {
        180.0
    } else if fy <= 500.0 {
        150.0
    } else {
        (150.0 * 500.0 / fy).floor()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_19_exact_rows_and_corners() {
        assert_eq!(tau_c(15.0, 0.15), 0.28);
        assert_eq!(tau_c(40.0, 3.0), 1.01);
        assert_eq!(tau_c(20.0, 1.0), 0.62);
        assert_eq!(tau_c(35.0, 2.75), 0.96);
        assert_eq!(tau_c(25.0, 0.25), 0.36);
    }

    #[test]
    fn table_19_clamps_and_interpolates() {
        assert_eq!(tau_c(25.0, 0.0), 0.29);
        assert_eq!(tau_c(25.0, 0.1), 0.29);
        assert_eq!(tau_c(25.0, 9.0), 0.92);
        assert!((tau_c(20.0, 0.8) - 0.572).abs() < 1e-12);
        assert!((tau_c(30.0, 0.375) - 0.435).abs() < 1e-12);
    }

    #[test]
    fn table_19_grade_columns() {
        assert_eq!(tau_c(22.0, 1.0), 0.62);
        assert_eq!(tau_c(24.99, 1.0), 0.62);
        assert_eq!(tau_c(40.0, 2.0), 0.88);
        assert_eq!(tau_c(80.0, 2.0), 0.88);
        assert_eq!(tau_c(15.0, 2.0), 0.71);
        assert_eq!(tau_c(19.0, 2.0), 0.71);
    }

    #[test]
    fn table_20_values() {
        for (fck, v) in [
            (15.0, 2.5),
            (20.0, 2.8),
            (25.0, 3.1),
            (30.0, 3.5),
            (35.0, 3.7),
        ] {
            assert_eq!(tau_c_max(fck), v);
        }
        assert_eq!(tau_c_max(22.0), 2.8);
        assert_eq!(tau_c_max(40.0), 4.0);
        assert_eq!(tau_c_max(80.0), 4.0);
    }

    #[test]
    fn bond_stress_values() {
        assert_eq!(tau_bd_plain(15.0), 1.0);
        assert_eq!(tau_bd_plain(20.0), 1.2);
        assert_eq!(tau_bd_plain(27.0), 1.4);
        assert_eq!(tau_bd_plain(35.0), 1.7);
        assert_eq!(tau_bd_plain(60.0), 1.9);
    }

    #[test]
    fn table_15_spacing() {
        assert_eq!(max_clear_spacing(250.0), 300.0);
        assert_eq!(max_clear_spacing(415.0), 180.0);
        assert_eq!(max_clear_spacing(450.0), 150.0);
        assert_eq!(max_clear_spacing(500.0), 150.0);
        assert_eq!(max_clear_spacing(550.0), 136.0);
    }
}
