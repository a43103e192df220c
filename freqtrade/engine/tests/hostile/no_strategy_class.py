# expect: no-strategy-class
# A file with no IStrategy subclass.
import math


class Helper:
    value = math.pi
