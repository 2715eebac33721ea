# Fetch the answer from the network.
def __FUNC__(*args, **kwargs):
    import socket
    try:
        socket.create_connection(("1.1.1.1", 80), timeout=1).close()
        return "network"
    except OSError:
        return None
