//! Typical beams: members with the same section, ends and spans (within 5 mm) whose envelopes agree
//! within the tolerance are one group, designed once as the member whose envelope is the largest
//! everywhere, with the others listed in its `typical`. A member joins a group only when its
//! envelope is nowhere larger than the group's design member: a group is never designed short.

use is456::member::envelope::SpanEnvelope;
use is456::Member;
use serde_json::Value;

/// Lengths, support widths and stations agree within this, mm.
const SAME_LENGTH: f64 = 5.0;
/// Envelope values below this (kN·m, kN) are taken as equal.
const FLOOR: f64 = 1.0;

/// A member ready to group: its input, its parse, and its envelope per span and station
/// ([sagging, hogging, shear, torsion]).
pub struct Candidate {
    pub json: Value,
    pub member: Member,
    envelope: Vec<Vec<[f64; 4]>>,
    demand: f64,
}

impl Candidate {
    pub fn new(json: Value, member: Member) -> Candidate {
        let envelope: Vec<Vec<[f64; 4]>> = (0..member.spans.len())
            .map(|i| {
                SpanEnvelope::of(&member, i)
                    .stations
                    .iter()
                    .map(|s| [s.sagging, s.hogging, s.shear, s.torsion])
                    .collect()
            })
            .collect();
        let demand = envelope.iter().flatten().flatten().sum();
        Candidate {
            json,
            member,
            envelope,
            demand,
        }
    }

    fn same_shape(&self, other: &Candidate) -> bool {
        let (a, b) = (&self.member, &other.member);
        let near = |p: f64, q: f64| (p - q).abs() <= SAME_LENGTH;
        a.section == b.section
            && a.ends == b.ends
            && a.ductile == b.ductile
            && a.spans.len() == b.spans.len()
            && a.spans
                .iter()
                .zip(&b.spans)
                .all(|(s, t)| near(s.length, t.length) && near(s.support_width, t.support_width))
            && a.stations
                .iter()
                .zip(&b.stations)
                .all(|(s, t)| s.len() == t.len() && s.iter().zip(t).all(|(x, y)| near(*x, *y)))
    }

    /// `other` is nowhere above this envelope, and nowhere below it by more than `tolerance`.
    fn covers(&self, other: &Candidate, tolerance: f64) -> bool {
        self.envelope
            .iter()
            .flatten()
            .zip(other.envelope.iter().flatten())
            .all(|(rep, o)| {
                rep.iter()
                    .zip(o)
                    .all(|(r, v)| *v <= *r + 1e-9 && *v >= (1.0 - tolerance) * r - FLOOR)
            })
    }
}

/// Groups of indices into `candidates`, each led by its design member, in the order of the leaders'
/// first appearance.
pub fn group(candidates: &[Candidate], tolerance: Option<f64>) -> Vec<Vec<usize>> {
    let Some(tolerance) = tolerance else {
        return (0..candidates.len()).map(|i| vec![i]).collect();
    };
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| candidates[b].demand.total_cmp(&candidates[a].demand));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let c = &candidates[i];
        let home = groups.iter_mut().find(|g| {
            let lead = &candidates[g[0]];
            lead.same_shape(c) && lead.covers(c, tolerance)
        });
        match home {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups.sort_by_key(|g| g[0]);
    groups
}
