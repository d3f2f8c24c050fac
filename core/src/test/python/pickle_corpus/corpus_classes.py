"""Classes the pickle corpus refers to as ``corpus_classes.X``.

Each class exercises one way CPython turns an object into opcodes. None of
them defines ``__eq__``: compare.py checks instances generically (exact type,
then ``__dict__`` and ``__slots__`` values), which is stricter than a
hand-written ``__eq__`` would be.
"""
import collections
import copyreg


class Plain:
    """object.__reduce_ex__: NEWOBJ (protocol 2+) or copyreg._reconstructor, then BUILD."""

    def __init__(self, name, values):
        self.name = name
        self.values = values


class Slotted:
    """__slots__ only: BUILD receives (None, {slot: value}). Needs protocol 2+."""

    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class SlottedWithDict:
    """__slots__ plus __dict__: BUILD receives ({attr: value}, {slot: value})."""

    __slots__ = ("x", "__dict__")

    def __init__(self, x, extra):
        self.x = x
        self.extra = extra


class CustomState:
    """__getstate__ returns a tuple, so BUILD must call __setstate__."""

    def __init__(self, name, values):
        self.name = name
        self.values = values

    def __getstate__(self):
        return (self.name, self.values)

    def __setstate__(self, state):
        self.name, self.values = state


class ReduceArgs:
    """__reduce__ -> (callable, args): a bare REDUCE."""

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __reduce__(self):
        return (ReduceArgs, (self.x, self.y))


class ReduceState:
    """__reduce__ -> (callable, args, state): REDUCE then BUILD of a dict."""

    def __init__(self, size):
        self.size = size
        self.label = None

    def __reduce__(self):
        return (ReduceState, (self.size,), {"label": self.label})


class Bag:
    """Not a list, only has append/extend: listitems are replayed through them."""

    def __init__(self):
        self.items = []

    def append(self, item):
        self.items.append(item)

    def extend(self, items):
        self.items.extend(items)

    def __reduce__(self):
        return (Bag, (), None, iter(self.items))


class Registry:
    """Not a dict, only has __setitem__: dictitems are replayed through it."""

    def __init__(self):
        self.entries = {}

    def __setitem__(self, key, value):
        self.entries[key] = value

    def __reduce__(self):
        return (Registry, (), None, None, iter(self.entries.items()))


def restore_with_setter(obj, state):
    """state_setter of WithStateSetter; the marker attribute proves it ran instead of BUILD."""
    obj.__dict__.update(state)
    obj.restored_by = "state_setter"


class WithStateSetter:
    """__reduce__ 6-tuple: the state goes through a module-level state_setter."""

    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (WithStateSetter, (None,), {"value": self.value}, None, None, restore_with_setter)


class ProtocolAware:
    """__reduce_ex__: copyreg.__newobj__ (NEWOBJ) at protocol 2+, a plain call below."""

    def __init__(self, value):
        self.value = value

    def __reduce_ex__(self, protocol):
        if protocol >= 2:
            return (copyreg.__newobj__, (ProtocolAware,), {"value": self.value})
        return (ProtocolAware, (self.value,))


class Interval:
    """Fields exist only through __new__'s arguments (no state), so __getnewargs__
    must reach NEWOBJ. Protocols 0-1 ignore __getnewargs__: protocol 2+ only."""

    def __new__(cls, low, high):
        self = super().__new__(cls)
        self.low = low
        self.high = high
        return self

    def __getnewargs__(self):
        return (self.low, self.high)

    def __getstate__(self):
        return None


class KeywordOnly:
    """__getnewargs_ex__ with keyword arguments: NEWOBJ_EX at protocol 4+, a
    functools.partial(cls.__new__, ...) REDUCE at protocols 2-3. Protocol 2+ only."""

    def __new__(cls, name, *, size):
        self = super().__new__(cls)
        self.name = name
        self.size = size
        return self

    def __getnewargs_ex__(self):
        return ((self.name,), {"size": self.size})

    def __getstate__(self):
        return None


class TaggedList(list):
    """list subclass with an attribute: APPENDS for the items, BUILD for __dict__."""

    def __init__(self, items, tag):
        super().__init__(items)
        self.tag = tag


class TaggedDict(dict):
    """dict subclass with an attribute: SETITEMS for the items, BUILD for __dict__."""

    def __init__(self, items, tag):
        super().__init__(items)
        self.tag = tag


class _Missing:
    """__reduce__ returns a string: pickled as a reference to the global MISSING."""

    def __reduce__(self):
        return "MISSING"


MISSING = _Missing()


class Outer:
    class Inner:
        """Qualified name Outer.Inner: STACK_GLOBAL at protocol 4+, getattr(Outer, 'Inner') below."""

        def __init__(self, value):
            self.value = value


class FakeStorage:
    """Stands in for torch.FloatStorage: only referenced by name inside persistent ids."""


class FakeTensor:
    """Stands in for torch.Tensor: reduced, like torch, to a call of a module-level
    rebuild function whose first argument is a persistent storage reference."""

    def __init__(self, storage, offset, size, stride):
        self.storage = storage
        self.offset = offset
        self.size = size
        self.stride = stride
        self.requires_grad = False

    def __reduce_ex__(self, protocol):
        args = (self.storage, self.offset, self.size, self.stride, self.requires_grad,
                collections.OrderedDict())
        return (rebuild_tensor, args)


def rebuild_tensor(storage, offset, size, stride, requires_grad, backward_hooks):
    """Mirrors torch._utils._rebuild_tensor_v2's signature."""
    tensor = FakeTensor(storage, offset, size, stride)
    tensor.requires_grad = requires_grad
    tensor.backward_hooks = backward_hooks
    return tensor
