# kill(-1): every process the child may signal.
def __FUNC__(*args, **kwargs):
    import os, signal
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    return None
