"""The numpy oracle for NumpyArrayViewTest: real numpy makes, describes and pickles arrays.

Usage: /usr/bin/python3 numpy_oracle.py COMMAND ARGS...

  make OUT.pkl [PROTOCOL]   pickle a dict of sample arrays and scalars (default protocol 2,
                            the C pickler, as torch.save uses) and describe each as it was
                            before pickling (see describe)
  describe IN.pkl           load a pickled dict and print one line per entry:
                            name, Python type, dtype.str, shape, fortran flag, values (C order)
  dumps DTYPE SHAPE VALUES  print the hex of pickle.dumps(np.array(VALUES, DTYPE).reshape(SHAPE), 2)
                            in numpy 1.x's form (numpy 2 writes numpy._core where 1.x wrote numpy.core)
                            (SHAPE and VALUES comma separated; SHAPE '-' for a 0-d array)
  convert DTYPE VALUES      print np.array(VALUES, DTYPE).tolist(), comma separated: how numpy
                            rounds those values to that dtype
"""
import pickle
import sys

import numpy as np


def samples():
    f4 = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    return {
        "f4": f4,
        "f8_fortran": np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3) - 2.5),
        "i8_big_endian": np.array([1, -2, 3 << 40], dtype=">i8"),
        "i4": np.array([[7, -8], [9, 2**31 - 1]], dtype=np.int32),
        "u1": np.array([0, 200, 255], dtype=np.uint8),
        "u2": np.array([65535, 1], dtype=np.uint16),
        "i1": np.array([-128, 127], dtype=np.int8),
        "b1": np.array([True, False, True]),
        "f2": np.array([0.5, -2.0, 65504.0], dtype=np.float16),
        "zero_d": np.array(3.25),
        "empty": np.zeros((0, 2), dtype=np.float64),
        "scalar_f8": np.float64(1.5),
        "scalar_i8": np.int64(-7),
        "scalar_f4": np.float32(0.25),
        "mean_shares_f4_dtype": np.ones(2, dtype=np.float32),
    }


def describe_value(value):
    kind = "scalar" if isinstance(value, np.generic) else type(value).__name__
    array = np.asarray(value)
    values = ",".join(repr(x) for x in array.flatten(order="C").tolist())
    shape = ",".join(str(n) for n in array.shape)
    fortran = array.flags.f_contiguous and not array.flags.c_contiguous
    return "\t".join([kind, array.dtype.str, shape, str(fortran), values])


def describe(items):
    for name, value in items.items():
        if isinstance(value, (np.ndarray, np.generic)) and value.dtype != object:
            print(name + "\t" + describe_value(value))
        else:
            print(name + "\t" + type(value).__name__ + "\t" + repr(value))


def main(argv):
    command = argv[1]
    if command == "make":
        protocol = int(argv[3]) if len(argv) > 3 else 2
        items = samples()
        if protocol < 5:
            items["object"] = np.array([1, "two", None], dtype=object)
        with open(argv[2], "wb") as out:
            pickle.dump(items, out, protocol=protocol)
        describe(items)
    elif command == "describe":
        with open(argv[2], "rb") as f:
            describe(pickle.load(f))
    elif command == "dumps":
        dtype, shape, values = argv[2], argv[3], argv[4]
        parsed = [float(v) if dtype.startswith("f") else int(v) for v in values.split(",") if v]
        array = np.array(parsed, dtype=dtype)
        array = array.reshape(() if shape == "-" else tuple(int(n) for n in shape.split(",") if n))
        data = pickle.dumps(array, protocol=2)
        # ckpt writes new arrays as numpy 1.x pickles them (numpy.core), which numpy 1 and 2 both load;
        # numpy 2 names its module numpy._core. The GLOBAL text is the only difference.
        data = data.replace(b"cnumpy._core.multiarray\n", b"cnumpy.core.multiarray\n")
        if not np.array_equal(pickle.loads(data), array) or pickle.loads(data).dtype != array.dtype:
            raise SystemExit("this numpy does not load the numpy 1.x form to the same array")
        print(data.hex())
    elif command == "convert":
        array = np.array([float(v) for v in argv[3].split(",")], dtype=argv[2])
        print(",".join(repr(x) for x in array.tolist()))
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv)
