# A thread that keeps working after the call returns, and a process it starts later.
def __FUNC__(*args, **kwargs):
    import subprocess, threading, time

    def later():
        time.sleep(0.5)
        subprocess.Popen(["sleep", "__TOKEN__"], start_new_session=True)

    threading.Thread(target=later).start()
    return None
