package dev.ckpt.pickle;

/**
 * Every pickle opcode of protocols 0 to 5, as CPython's {@code pickletools.opcodes} lists them:
 * name, code byte, argument kind and the protocol that introduced it. A test checks this table
 * against the running CPython's.
 */
public enum Opcode {
    INT('I', ArgumentKind.DECIMALNL_SHORT, 0),
    BININT('J', ArgumentKind.INT4, 1),
    BININT1('K', ArgumentKind.UINT1, 1),
    BININT2('M', ArgumentKind.UINT2, 1),
    LONG('L', ArgumentKind.DECIMALNL_LONG, 0),
    LONG1(0x8a, ArgumentKind.LONG1, 2),
    LONG4(0x8b, ArgumentKind.LONG4, 2),
    STRING('S', ArgumentKind.STRINGNL, 0),
    BINSTRING('T', ArgumentKind.STRING4, 1),
    SHORT_BINSTRING('U', ArgumentKind.STRING1, 1),
    BINBYTES('B', ArgumentKind.BYTES4, 3),
    SHORT_BINBYTES('C', ArgumentKind.BYTES1, 3),
    BINBYTES8(0x8e, ArgumentKind.BYTES8, 4),
    BYTEARRAY8(0x96, ArgumentKind.BYTEARRAY8, 5),
    NEXT_BUFFER(0x97, ArgumentKind.NONE, 5),
    READONLY_BUFFER(0x98, ArgumentKind.NONE, 5),
    NONE('N', ArgumentKind.NONE, 0),
    NEWTRUE(0x88, ArgumentKind.NONE, 2),
    NEWFALSE(0x89, ArgumentKind.NONE, 2),
    UNICODE('V', ArgumentKind.UNICODESTRINGNL, 0),
    SHORT_BINUNICODE(0x8c, ArgumentKind.UNICODESTRING1, 4),
    BINUNICODE('X', ArgumentKind.UNICODESTRING4, 1),
    BINUNICODE8(0x8d, ArgumentKind.UNICODESTRING8, 4),
    FLOAT('F', ArgumentKind.FLOATNL, 0),
    BINFLOAT('G', ArgumentKind.FLOAT8, 1),
    EMPTY_LIST(']', ArgumentKind.NONE, 1),
    APPEND('a', ArgumentKind.NONE, 0),
    APPENDS('e', ArgumentKind.NONE, 1),
    LIST('l', ArgumentKind.NONE, 0),
    EMPTY_TUPLE(')', ArgumentKind.NONE, 1),
    TUPLE('t', ArgumentKind.NONE, 0),
    TUPLE1(0x85, ArgumentKind.NONE, 2),
    TUPLE2(0x86, ArgumentKind.NONE, 2),
    TUPLE3(0x87, ArgumentKind.NONE, 2),
    EMPTY_DICT('}', ArgumentKind.NONE, 1),
    DICT('d', ArgumentKind.NONE, 0),
    SETITEM('s', ArgumentKind.NONE, 0),
    SETITEMS('u', ArgumentKind.NONE, 1),
    EMPTY_SET(0x8f, ArgumentKind.NONE, 4),
    ADDITEMS(0x90, ArgumentKind.NONE, 4),
    FROZENSET(0x91, ArgumentKind.NONE, 4),
    POP('0', ArgumentKind.NONE, 0),
    DUP('2', ArgumentKind.NONE, 0),
    MARK('(', ArgumentKind.NONE, 0),
    POP_MARK('1', ArgumentKind.NONE, 1),
    GET('g', ArgumentKind.DECIMALNL_SHORT, 0),
    BINGET('h', ArgumentKind.UINT1, 1),
    LONG_BINGET('j', ArgumentKind.UINT4, 1),
    PUT('p', ArgumentKind.DECIMALNL_SHORT, 0),
    BINPUT('q', ArgumentKind.UINT1, 1),
    LONG_BINPUT('r', ArgumentKind.UINT4, 1),
    MEMOIZE(0x94, ArgumentKind.NONE, 4),
    EXT1(0x82, ArgumentKind.UINT1, 2),
    EXT2(0x83, ArgumentKind.UINT2, 2),
    EXT4(0x84, ArgumentKind.INT4, 2),
    GLOBAL('c', ArgumentKind.STRINGNL_NOESCAPE_PAIR, 0),
    STACK_GLOBAL(0x93, ArgumentKind.NONE, 4),
    REDUCE('R', ArgumentKind.NONE, 0),
    BUILD('b', ArgumentKind.NONE, 0),
    INST('i', ArgumentKind.STRINGNL_NOESCAPE_PAIR, 0),
    OBJ('o', ArgumentKind.NONE, 1),
    NEWOBJ(0x81, ArgumentKind.NONE, 2),
    NEWOBJ_EX(0x92, ArgumentKind.NONE, 4),
    PROTO(0x80, ArgumentKind.UINT1, 2),
    STOP('.', ArgumentKind.NONE, 0),
    FRAME(0x95, ArgumentKind.UINT8, 4),
    PERSID('P', ArgumentKind.STRINGNL_NOESCAPE, 0),
    BINPERSID('Q', ArgumentKind.NONE, 1);

    /** The argument kinds of pickletools, by their pickletools names in upper case. */
    public enum ArgumentKind {
        NONE, UINT1, UINT2, INT4, UINT4, UINT8, LONG1, LONG4, DECIMALNL_SHORT, DECIMALNL_LONG,
        FLOATNL, FLOAT8, STRINGNL, STRINGNL_NOESCAPE, STRINGNL_NOESCAPE_PAIR, STRING1, STRING4,
        BYTES1, BYTES4, BYTES8, BYTEARRAY8, UNICODESTRINGNL, UNICODESTRING1, UNICODESTRING4,
        UNICODESTRING8
    }

    private static final Opcode[] BY_CODE = new Opcode[256];

    static {
        for (Opcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;
    private final ArgumentKind argument;
    private final int protocol;

    Opcode(int code, ArgumentKind argument, int protocol) {
        this.code = code;
        this.argument = argument;
        this.protocol = protocol;
    }

    /** The opcode's byte. */
    public int code() {
        return code;
    }

    public ArgumentKind argument() {
        return argument;
    }

    /** The protocol that introduced this opcode. */
    public int protocol() {
        return protocol;
    }

    /** The opcode for a byte, or null when no opcode has that byte. */
    public static Opcode forCode(int code) {
        return BY_CODE[code & 0xff];
    }
}
