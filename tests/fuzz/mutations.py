"""Mutations of a valid file: what a careless edit or a hostile one produces."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def mutate(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with one random damage applied."""
    lines = data.split(b"\n")
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    row = draw(st.integers(0, max(len(lines) - 1, 0)))
    kind = draw(
        st.sampled_from(
            [
                "delete-line",
                "duplicate-line",
                "replace-value",
                "random-bytes",
                "truncate",
                "deep-nesting",
                "huge-string",
                "wrong-type",
                "broken-reference",
                "indent",
            ]
        )
    )
    if kind == "delete-line" and lines:
        del lines[row]
    elif kind == "duplicate-line" and lines:
        lines.insert(row, lines[row])
    elif kind == "replace-value" and b": " in lines[row]:
        key = lines[row].split(b": ", 1)[0]
        value = draw(st.sampled_from([b"", b"~", b"[]", b"{}", b"-1", b"1e999", b"no", b"*x"]))
        lines[row] = key + b": " + value
    elif kind == "random-bytes":
        junk = draw(st.binary(min_size=1, max_size=8))
        return data[:at] + junk + data[at:]
    elif kind == "truncate":
        return data[:at]
    elif kind == "deep-nesting":
        depth = draw(st.integers(50, 3000))
        lines.insert(row, b"x-deep: " + b"[" * depth + b"]" * depth)
    elif kind == "huge-string":
        lines.insert(row, b"description: " + b"y" * draw(st.integers(10_000, 1_000_000)))
    elif kind == "wrong-type" and b": " in lines[row]:
        key = lines[row].split(b": ", 1)[0]
        lines[row] = key + b": " + draw(st.sampled_from([b"{a: 1}", b"[1, 2]", b"12", b"true"]))
    elif kind == "broken-reference" and b": " in lines[row]:
        key = lines[row].split(b": ", 1)[0]
        lines[row] = key + b": no-such-thing"
    elif kind == "indent" and lines:
        lines[row] = b"   " + lines[row]
    return b"\n".join(lines)
