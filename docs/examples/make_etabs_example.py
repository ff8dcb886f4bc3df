"""Writes docs/examples/etabs-two-storey.csv: the tables of a small two-storey frame in the layout
ETABS exports them (a `TABLE:` title line, the column names, a units line, then the rows).

The frame and its forces were written for Beamline's documentation; they are not the output of an
analysis program. Grid A-B-C along X at 0, 6 and 12 m, grid 1-2 along Y at 0 and 5 m, stories at 3.2
and 6.4 m, a 300 x 450 column at every grid point. Beams B1-B4 run along X (B1+B2 on grid 1, B3+B4 on
grid 2, each pair a two-span beam line), B5-B7 along Y on grids A, B and C. The moments of each load
case follow a uniformly loaded span with end moments from a frame (wL^2/24 at an exterior column,
wL^2/9 over an interior one) and an antisymmetric sway moment for EQX along X; V2 = -dM3/dx, as
ETABS gives it for a beam with its local 2 axis up. Three combinations follow from the load cases.

Run: python3 docs/examples/make_etabs_example.py > docs/examples/etabs-two-storey.csv
"""

import csv
import sys

XS = [0.0, 6.0, 12.0]
YS = [0.0, 5.0]
STORIES = [("Story1", 3.2, 1.0), ("Story2", 6.4, 0.85)]  # name, elevation, load scale (roof lighter)
STATIONS = 7


def point_name(level, i, j):
    return str(100 * level + 10 * j + i + 1)


def beams():
    """(label, (i, j) start, (i, j) end, section, exterior end moment flags, loads)."""
    out = []
    for j, label_pair in ((0, ("B1", "B2")), (1, ("B3", "B4"))):
        out.append((label_pair[0], (0, j), (1, j), "B300X500", ("ext", "int"), (22.0, 10.0, 70.0)))
        out.append((label_pair[1], (1, j), (2, j), "B300X500", ("int", "ext"), (22.0, 10.0, 70.0)))
    for i, label in ((0, "B5"), (1, "B6"), (2, "B7")):
        w = (14.0, 6.0, 0.0) if i != 1 else (24.0, 11.0, 0.0)
        out.append((label, (i, 0), (i, 1), "B230X450", ("ext", "ext"), w))
    return out


def case_moments(L, ends, w, sway, scale, x):
    """M3 and V2 of the DL, LL and EQX cases at station x."""
    end = {"ext": 1 / 24, "int": 1 / 9}
    out = []
    for load in w[:2]:
        q = load * scale
        ml, mr = end[ends[0]] * q * L * L, end[ends[1]] * q * L * L
        m = -ml * (1 - x / L) - mr * (x / L) + q * x * (L - x) / 2
        dm = ml / L - mr / L + q * (L - 2 * x) / 2
        out.append((m, -dm))
    me = sway * scale
    out.append((me * (1 - 2 * x / L), 2 * me / L))
    return out


def main():
    w = csv.writer(sys.stdout, lineterminator="\n")
    unique = {}
    n = 0
    for story, _, _ in STORIES:
        for label, *_ in beams():
            n += 1
            unique[(story, label)] = str(n)
    w.writerow(["TABLE:  Element Forces - Beams"])
    w.writerow(["Story", "Beam", "Unique Name", "Output Case", "Case Type", "Step Type", "Station",
                "P", "V2", "V3", "T", "M2", "M3", "Element", "Elem Station", "Location"])
    w.writerow(["", "", "", "", "", "", "m", "kN", "kN", "kN", "kN-m", "kN-m", "kN-m", "", "m", ""])
    combos = [("1.5(DL+LL)", (1.5, 1.5, 0.0)), ("1.2(DL+LL+EQX)", (1.2, 1.2, 1.2)),
              ("1.2(DL+LL-EQX)", (1.2, 1.2, -1.2))]
    for story, _, scale in STORIES:
        for label, a, b, section, ends, loads in beams():
            L = abs(XS[b[0]] - XS[a[0]]) + abs(YS[b[1]] - YS[a[1]])
            torsion = 1.5 if label in ("B5", "B7") else 0.0
            for k in range(STATIONS):
                x = L * k / (STATIONS - 1)
                cases = case_moments(L, ends, loads, loads[2], scale, x)
                rows = [(n, "LinStatic", c, torsion * (1 if n == "DL" else 0.4 if n == "LL" else 0))
                        for n, c in zip(("DL", "LL", "EQX"), cases)]
                for name, f in combos:
                    m = sum(fi * c[0] for fi, c in zip(f, cases))
                    v = sum(fi * c[1] for fi, c in zip(f, cases))
                    t = torsion * (f[0] + 0.4 * f[1])
                    rows.append((name, "Combination", (m, v), t))
                for name, ctype, (m, v), t in rows:
                    w.writerow([story, label, unique[(story, label)], name, ctype, "", f"{x:.4f}",
                                "0", f"{v:.3f}", "0", f"{t:.3f}", "0", f"{m:.3f}",
                                unique[(story, label)] + "-1", f"{x:.4f}", ""])
    w.writerow([])
    w.writerow(["TABLE:  Beam Object Connectivity"])
    w.writerow(["Unique Name", "Story", "Beam", "UniquePtI", "UniquePtJ", "Length"])
    w.writerow(["", "", "", "", "", "m"])
    for level, (story, _, _) in enumerate(STORIES, start=1):
        for label, a, b, *_ in beams():
            L = abs(XS[b[0]] - XS[a[0]]) + abs(YS[b[1]] - YS[a[1]])
            w.writerow([unique[(story, label)], story, label, point_name(level, *a),
                        point_name(level, *b), f"{L:g}"])
    w.writerow([])
    w.writerow(["TABLE:  Point Object Connectivity"])
    w.writerow(["UniqueName", "Story", "PointBay", "X", "Y", "Z"])
    w.writerow(["", "", "", "m", "m", "m"])
    for level, (story, z) in enumerate([("Base", 0.0)] + [(s, e) for s, e, _ in STORIES]):
        for j, y in enumerate(YS):
            for i, x in enumerate(XS):
                w.writerow([point_name(level, i, j), story, f"{'ABC'[i]}{j + 1}", f"{x:g}", f"{y:g}",
                            f"{z:g}"])
    w.writerow([])
    w.writerow(["TABLE:  Column Object Connectivity"])
    w.writerow(["Unique Name", "Story", "ColumnBay", "UniquePtI", "UniquePtJ", "Length"])
    w.writerow(["", "", "", "", "", "m"])
    c = 100
    for level, (story, _, _) in enumerate(STORIES, start=1):
        for j in range(len(YS)):
            for i in range(len(XS)):
                c += 1
                w.writerow([str(c), story, f"{'ABC'[i]}{j + 1}", point_name(level - 1, i, j),
                            point_name(level, i, j), "3.2"])
    w.writerow([])
    w.writerow(["TABLE:  Frame Assignments - Section Properties"])
    w.writerow(["Story", "Label", "UniqueName", "Shape", "Auto Select List", "Section Property"])
    for story, _, _ in STORIES:
        for label, _, _, section, *_ in beams():
            w.writerow([story, label, unique[(story, label)], "Concrete Rectangular", "N.A.", section])
    c = 100
    for story, _, _ in STORIES:
        for k in range(6):
            c += 1
            w.writerow([story, f"C{k + 1}", str(c), "Concrete Rectangular", "N.A.", "C300X450"])
    w.writerow([])
    w.writerow(["TABLE:  Frame Section Property Definitions - Concrete Rectangular"])
    w.writerow(["Name", "Material", "From File?", "Depth", "Width", "Design Type"])
    w.writerow(["", "", "", "m", "m", ""])
    w.writerow(["B300X500", "M25", "No", "0.5", "0.3", "Beam"])
    w.writerow(["B230X450", "M25", "No", "0.45", "0.23", "Beam"])
    w.writerow(["C300X450", "M30", "No", "0.45", "0.3", "Column"])


if __name__ == "__main__":
    main()
