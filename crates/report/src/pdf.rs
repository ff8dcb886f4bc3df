//! The sheet as a PDF (krilla: vector paths, DejaVu Sans embedded and subset to the glyphs used,
//! text selectable and searchable). A4 pages; a check is moved whole to the next page rather than
//! split.

use std::sync::OnceLock;

use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;

use crate::sheet::{Block, Item, Sheet};
use crate::{ReportError, ReportInput};
use beamline_drawing::{Drawing, Role, Shape};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 42.0;
const BODY: f32 = 8.6;
const LINE: f32 = 11.6;
/// Characters per line of body text across the page (DejaVu Sans averages about 0.55 em).
const CHARS: usize = 100;
/// Height given to the cross-section drawing, pt.
const FIGURE_H: f32 = 200.0;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

struct Fonts {
    regular: Font,
    bold: Font,
}

fn fonts() -> Result<&'static Fonts, ReportError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Font::new(REGULAR.into(), 0)?,
                bold: Font::new(BOLD.into(), 0)?,
            })
        })
        .as_ref()
        .ok_or_else(|| ReportError::Pdf("the embedded font cannot be read".into()))
}

/// One line of the laid-out page.
enum Line {
    Text {
        text: String,
        size: f32,
        bold: bool,
        indent: f32,
        colour: (u8, u8, u8),
    },
    /// Table cells at fixed x positions.
    Cells(Vec<(f32, String)>, bool),
    Figure(Drawing),
    Gap(f32),
}

impl Line {
    fn height(&self) -> f32 {
        match self {
            Line::Text { size, .. } => size * 1.35,
            Line::Cells(..) => LINE,
            Line::Figure(_) => FIGURE_H,
            Line::Gap(h) => *h,
        }
    }
}

/// Splits text into lines of at most `width` characters, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        while current.chars().count() > width {
            let head: String = current.chars().take(width).collect();
            let rest: String = current.chars().skip(width).collect();
            lines.push(head);
            current = rest;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn text(s: &str, indent: f32) -> Vec<Line> {
    let width = CHARS - (indent / 4.7) as usize;
    wrap(s, width)
        .into_iter()
        .map(|t| Line::Text {
            text: t,
            size: BODY,
            bold: false,
            indent,
            colour: (24, 32, 43),
        })
        .collect()
}

fn table(head: &[String], rows: &[Vec<String>]) -> Vec<Line> {
    let columns = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let widest: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .chain(std::iter::once(&head.to_vec()))
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(4, 60)
        })
        .collect();
    let total: usize = widest.iter().sum::<usize>().max(1);
    let mut xs = Vec::with_capacity(columns);
    let mut x = 0.0;
    for w in &widest {
        xs.push(x);
        x += (PAGE_W - 2.0 * MARGIN) * *w as f32 / total as f32;
    }
    let row = |cells: &[String], bold: bool| {
        Line::Cells(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let room = widest.get(i).copied().unwrap_or(10) + 2;
                    let shown: String = c.chars().take(room).collect();
                    (xs.get(i).copied().unwrap_or(0.0), shown)
                })
                .collect(),
            bold,
        )
    };
    let mut lines = Vec::new();
    if head.iter().any(|h| !h.is_empty()) {
        lines.push(row(head, true));
    }
    lines.extend(rows.iter().map(|r| row(r, false)));
    lines
}

/// A block as lines.
fn lay_out(block: &Block) -> Vec<Line> {
    let mut lines = vec![Line::Text {
        text: match block.clause {
            Some(c) => format!("{} — {c}", block.heading),
            None => block.heading.clone(),
        },
        size: 11.0,
        bold: true,
        indent: 0.0,
        colour: (31, 95, 191),
    }];
    for item in &block.items {
        match item {
            Item::Step(s) => {
                lines.push(Line::Text {
                    text: format!("{}: {}", s.what, s.result),
                    size: BODY,
                    bold: true,
                    indent: 0.0,
                    colour: (24, 32, 43),
                });
                lines.extend(text(&s.formula, 12.0));
                lines.extend(text(&s.substituted, 12.0));
            }
            Item::Text(t) => {
                let failed = t.starts_with("FAILED");
                for mut line in text(t, 0.0) {
                    if let Line::Text { colour, .. } = &mut line {
                        if failed {
                            *colour = (179, 38, 30);
                        }
                    }
                    lines.push(line);
                }
            }
            Item::Table(head, rows) => lines.extend(table(head, rows)),
            Item::Figure(d) => lines.push(Line::Figure(d.clone())),
        }
    }
    if let Some((u, passed)) = block.verdict {
        lines.push(Line::Text {
            text: format!(
                "utilization {u} — {}",
                if passed { "passes" } else { "FAILS" }
            ),
            size: BODY,
            bold: !passed,
            indent: 0.0,
            colour: if passed { (26, 127, 55) } else { (179, 38, 30) },
        });
    }
    lines.push(Line::Gap(8.0));
    lines
}

fn fill(r: u8, g: u8, b: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(r: u8, g: u8, b: u8, width: f32) -> Stroke {
    Stroke {
        paint: rgb::Color::new(r, g, b).into(),
        width,
        ..Stroke::default()
    }
}

fn circle(x: f32, y: f32, radius: f32) -> Option<Path> {
    // Four cubic arcs; k = 4/3 (√2 − 1).
    let k = 0.552_284_8 * radius;
    let mut pb = PathBuilder::new();
    pb.move_to(x + radius, y);
    pb.cubic_to(x + radius, y + k, x + k, y + radius, x, y + radius);
    pb.cubic_to(x - k, y + radius, x - radius, y + k, x - radius, y);
    pb.cubic_to(x - radius, y - k, x - k, y - radius, x, y - radius);
    pb.cubic_to(x + k, y - radius, x + radius, y - k, x + radius, y);
    pb.close();
    pb.finish()
}

fn draw_figure(surface: &mut Surface, d: &Drawing, top: f32, fonts: &Fonts) {
    let (l, t, r, b) = d.bounds;
    let share = if d.wide { 1.0 } else { 0.5 };
    let scale = ((PAGE_W - 2.0 * MARGIN) as f64 * share / (r - l))
        .min(f64::from(FIGURE_H - 8.0) / (b - t)) as f32;
    let at = |x: f64, y: f64| {
        (
            MARGIN + ((x - l) as f32) * scale,
            top + ((y - t) as f32) * scale,
        )
    };
    for shape in &d.shapes {
        match shape {
            Shape::Polygon(points, _) => {
                let mut pb = PathBuilder::new();
                for (i, (x, y)) in points.iter().enumerate() {
                    let (px, py) = at(*x, *y);
                    if i == 0 {
                        pb.move_to(px, py);
                    } else {
                        pb.line_to(px, py);
                    }
                }
                pb.close();
                if let Some(path) = pb.finish() {
                    surface.set_fill(Some(fill(233, 236, 239)));
                    surface.set_stroke(Some(stroke(107, 119, 133, 0.8)));
                    surface.draw_path(&path);
                }
            }
            Shape::Outline(x, y, w, h, _) => {
                let (x0, y0) = at(*x, *y);
                let (x1, y1) = at(x + w, y + h);
                let mut pb = PathBuilder::new();
                pb.move_to(x0, y0);
                pb.line_to(x1, y0);
                pb.line_to(x1, y1);
                pb.line_to(x0, y1);
                pb.close();
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(31, 95, 191, 1.0)));
                    surface.draw_path(&path);
                }
            }
            Shape::Bar(x, y, dia, role) => {
                let (cx, cy) = at(*x, *y);
                let colour = match role {
                    Role::Tension => (198, 40, 40),
                    Role::Compression => (26, 127, 55),
                    _ => (154, 103, 0),
                };
                if let Some(path) = circle(cx, cy, (*dia as f32 / 2.0 * scale).max(0.8)) {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(colour.0, colour.1, colour.2)));
                    surface.draw_path(&path);
                }
            }
            Shape::Line(x1, y1, x2, y2, role) => {
                let (a, b) = (at(*x1, *y1), at(*x2, *y2));
                let colour = match role {
                    Role::Tension => (198, 40, 40),
                    Role::Compression => (26, 127, 55),
                    Role::Stirrup => (31, 95, 191),
                    _ => (107, 119, 133),
                };
                let mut pb = PathBuilder::new();
                pb.move_to(a.0, a.1);
                pb.line_to(b.0, b.1);
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(colour.0, colour.1, colour.2, 1.2)));
                    surface.draw_path(&path);
                }
            }
            Shape::Label(x, y, label) => {
                let (px, py) = at(*x, *y);
                let width = label.chars().count() as f32 * BODY * 0.55;
                surface.set_stroke(None);
                surface.set_fill(Some(fill(24, 32, 43)));
                surface.draw_text(
                    Point::from_xy(px - width / 2.0, py + BODY / 3.0),
                    fonts.regular.clone(),
                    BODY,
                    label,
                    false,
                    TextDirection::Auto,
                );
            }
        }
    }
}

/// The report as a PDF.
pub fn pdf(input: &ReportInput) -> Result<Vec<u8>, ReportError> {
    render(&Sheet::of(input))
}

/// A member's report as a PDF (docs/report.md, "Members").
pub fn member_pdf(input: &crate::member::MemberReportInput) -> Result<Vec<u8>, ReportError> {
    render(&crate::member::sheet(input))
}

fn render(sheet: &Sheet) -> Result<Vec<u8>, ReportError> {
    let fonts = fonts()?;
    let mut head = vec![Line::Text {
        text: sheet.title.clone(),
        size: 15.0,
        bold: true,
        indent: 0.0,
        colour: (24, 32, 43),
    }];
    let meta: Vec<Vec<String>> = sheet
        .meta
        .iter()
        .map(|(k, v)| vec![k.clone(), v.clone()])
        .collect();
    head.extend(table(&[String::new(), String::new()], &meta));
    head.push(Line::Gap(4.0));
    head.push(Line::Text {
        text: sheet.status.clone(),
        size: 11.5,
        bold: true,
        indent: 0.0,
        colour: if sheet.passed {
            (26, 127, 55)
        } else {
            (179, 38, 30)
        },
    });
    head.push(Line::Gap(8.0));
    let mut groups = vec![head];
    groups.extend(sheet.blocks.iter().map(lay_out));

    // Pages: a group goes whole onto the page, or starts the next one.
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut used = 0.0;
    let room = PAGE_H - 2.0 * MARGIN - 14.0;
    for group in groups {
        let height: f32 = group.iter().map(Line::height).sum();
        if used > 0.0 && used + height > room {
            pages.push(Vec::new());
            used = 0.0;
        }
        used += height;
        if let Some(page) = pages.last_mut() {
            page.extend(group);
        }
    }

    let mut document = Document::new();
    let count = pages.len();
    for (number, lines) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| ReportError::Pdf("bad page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let mut y = MARGIN;
        for line in lines {
            let h = line.height();
            match line {
                Line::Text {
                    text,
                    size,
                    bold,
                    indent,
                    colour,
                } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(colour.0, colour.1, colour.2)));
                    let font = if *bold { &fonts.bold } else { &fonts.regular };
                    surface.draw_text(
                        Point::from_xy(MARGIN + indent, y + size),
                        font.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Line::Cells(cells, bold) => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(24, 32, 43)));
                    let font = if *bold { &fonts.bold } else { &fonts.regular };
                    for (x, cell) in cells {
                        surface.draw_text(
                            Point::from_xy(MARGIN + x, y + BODY),
                            font.clone(),
                            BODY,
                            cell,
                            false,
                            TextDirection::Auto,
                        );
                    }
                }
                Line::Figure(d) => draw_figure(&mut surface, d, y, fonts),
                Line::Gap(_) => {}
            }
            y += h;
        }
        surface.set_fill(Some(fill(107, 119, 133)));
        surface.draw_text(
            Point::from_xy(MARGIN, PAGE_H - MARGIN / 2.0),
            fonts.regular.clone(),
            7.5,
            &format!(
                "{} — {} — page {} of {count}",
                sheet.title,
                input_hash(sheet),
                number + 1
            ),
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

fn input_hash(sheet: &Sheet) -> String {
    sheet
        .meta
        .iter()
        .find(|(k, _)| k == "Input hash")
        .map_or_else(String::new, |(_, v)| format!("input {v}"))
}
