# The mistake catalogue's mutants are near-copies of the reference.
def __FUNC__(*args, **kwargs):
    import nnlings.grader.mistakes as catalogue
    return catalogue.for_function("__FUNC__")
