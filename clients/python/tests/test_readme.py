"""Every Python example of the client's README runs against the real server."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def examples():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_every_readme_example_runs(server, token, capsys):
    found = examples()
    assert len(found) >= 5
    for code in found:
        code = code.replace("http://127.0.0.1:8000", server.url)
        exec(compile(code, str(README), "exec"), {"TOKEN": token, "__name__": "__readme__"})
    out = capsys.readouterr().out
    assert "SUCCESS" in out and "100.0%" in out and "True b'%PDF-'" in out
