# Change the kit's own exercise stubs and grader.
def __FUNC__(*args, **kwargs):
    for path in ("__KIT__/exercises/__UNIT__.py", "__KIT__/grader/grade.py"):
        try:
            with open(path, "a") as f:
                f.write("\n# changed\n")
        except OSError:
            pass
    return None
