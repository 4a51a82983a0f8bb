#!/usr/bin/env python3
"""Run every conformance scenario under the current interpreter.

  python3 tests/conformance/py/run.py            # compare with expected/, diff on mismatch
  python3 tests/conformance/py/run.py --update   # (re)write expected/<scenario>.txt
  python3 tests/conformance/py/run.py 1 seed_lock # only scenarios whose name contains an arg

A scenario fails if it exits non-zero, writes anything to stderr, or (in
compare mode) its stdout differs from the expected file.
"""
import difflib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")
EXPECTED = os.path.join(os.path.dirname(HERE), "expected")


def run_one(path):
    env = dict(os.environ)
    env.pop("PYTHONASYNCIODEBUG", None)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    proc = subprocess.run([sys.executable, path], capture_output=True,
                          env=env, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def main(argv):
    update = "--update" in argv
    filters = [a for a in argv if not a.startswith("--")]
    names = sorted(f[:-3] for f in os.listdir(SCENARIOS)
                   if f.endswith(".py") and f[:3].isdigit())
    if filters:
        names = [n for n in names if any(f in n for f in filters)]
    failed = []
    for name in names:
        rc, out, err = run_one(os.path.join(SCENARIOS, name + ".py"))
        exp_path = os.path.join(EXPECTED, name + ".txt")
        problem = None
        if rc != 0 or err:
            problem = f"exit code {rc}\n--- stderr ---\n{err}"
        elif update:
            os.makedirs(EXPECTED, exist_ok=True)
            with open(exp_path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(out)
        elif not os.path.exists(exp_path):
            problem = "missing expected file " + exp_path
        else:
            with open(exp_path, encoding="utf-8") as fh:
                expected = fh.read()
            if expected != out:
                problem = "".join(difflib.unified_diff(
                    expected.splitlines(True), out.splitlines(True),
                    fromfile="expected/" + name + ".txt", tofile="actual"))
        if problem:
            failed.append(name)
            print(f"FAIL {name}\n{problem}")
        else:
            print(f"{'WROTE' if update else 'ok  '} {name}")
    print(f"{len(names) - len(failed)}/{len(names)} passed ({sys.version.split()[0]})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
