# expect: syntax-error
# Not Python at all.
class Broken(IStrategy:
    pass
