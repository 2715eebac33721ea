# A loop that ignores SIGALRM and every exception.
def __FUNC__(*args, **kwargs):
    import signal, time
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        try:
            time.sleep(0.01)
        except BaseException:
            pass
