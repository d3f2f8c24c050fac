package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and adversarial pickles: each is rejected with a {@link PickleException} that names
 * the opcode that failed and its byte offset, quickly and in little memory (the test JVM has a
 * 256 MiB heap), and never with another exception or error. The valid-but-adversarial inputs
 * (shared structure that expands exponentially, self-references) are read and rewritten in
 * linear time with their sharing kept.
 */
class HostileInputTest {
    private static final PickleLimits LIMITS = PickleLimits.DEFAULT;
    private static final int MILLION = 1_000_000;

    @TempDir
    Path dir;

    /** A pickle and where it must fail: the offset and name of the opcode. */
    record Case(String name, byte[] pickle, int offset, Opcode opcode) {
        static Case of(String name, PickleBytes bytes, Opcode opcode) {
            return new Case(name, bytes.bytes(), bytes.marked(), opcode);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static PickleException assertRejectedAt(byte[] pickle, long offset, Opcode opcode) {
        PickleException e = assertThrows(PickleException.class, () -> new PickleReader().read(pickle));
        assertEquals(offset, e.offset(), e.getMessage());
        assertEquals(opcode == null ? null : opcode.name(), e.opcode(), e.getMessage());
        return e;
    }

    static PickleException assertRejected(Case c) {
        return assertRejectedAt(c.pickle(), c.offset(), c.opcode());
    }

    private static PickleBytes p(int protocol) {
        return new PickleBytes().proto(protocol);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // --- truncation ---

    @Test
    void emptyInputFailsAtOffsetZeroWithNoOpcode() {
        assertTrue(assertRejectedAt(new byte[0], 0, null).getMessage().contains("truncated"));
    }

    @Test
    void inputEndingBeforeStopFailsAtItsEndWithNoOpcode() {
        byte[] pickle = p(2).op(Opcode.BININT1).u1(1).bytes();
        assertTrue(assertRejectedAt(pickle, 4, null).getMessage().contains("no STOP"));
    }

    static Stream<Case> cutShortArguments() {
        return Stream.of(
                Case.of("PROTO without its argument", new PickleBytes().here().op(Opcode.PROTO), Opcode.PROTO),
                Case.of("BININT with 2 of its 4 bytes", p(2).here().op(Opcode.BININT).u1(1).u1(2), Opcode.BININT),
                Case.of("BINFLOAT with 3 of its 8 bytes", p(2).here().op(Opcode.BINFLOAT).u1(0).u1(0).u1(0), Opcode.BINFLOAT),
                Case.of("LONG_BINGET with 1 of its 4 bytes", p(2).here().op(Opcode.LONG_BINGET).u1(0), Opcode.LONG_BINGET),
                Case.of("LONG1 declaring 4 bytes, holding 1", p(2).here().op(Opcode.LONG1).u1(4).u1(1), Opcode.LONG1),
                Case.of("SHORT_BINUNICODE declaring 5 bytes, holding 2", p(4).here().op(Opcode.SHORT_BINUNICODE).u1(5).raw(latin1("ab")), Opcode.SHORT_BINUNICODE),
                Case.of("INT whose line has no newline", new PickleBytes().here().op(Opcode.INT).raw(latin1("12")), Opcode.INT),
                Case.of("GLOBAL with only its module line", new PickleBytes().here().op(Opcode.GLOBAL).line("builtins").raw(latin1("int")), Opcode.GLOBAL),
                Case.of("FRAME with 3 of its 8 length bytes", p(4).here().op(Opcode.FRAME).u1(9).u1(0).u1(0), Opcode.FRAME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cutShortArguments")
    void anOpcodeWhoseArgumentIsCutShortFailsAtThatOpcode(Case c) {
        assertTrue(assertRejected(c).getMessage().contains("truncated"), c.name());
    }

    @Test
    void everyProperPrefixOfASmallCorpusPickleIsRejectedWhereItStops() throws IOException {
        Path corpus = Path.of("src/test/resources/pickle-corpus");
        int files = 0;
        for (String line : Files.readAllLines(corpus.resolve("MANIFEST.tsv"))) {
            byte[] whole = Files.readAllBytes(corpus.resolve(line.split("\t", -1)[0]));
            if (whole.length > 1024) {
                continue;
            }
            files++;
            for (int n = 0; n < whole.length; n++) {
                byte[] prefix = Arrays.copyOf(whole, n);
                PickleException e = assertThrows(PickleException.class, () -> new PickleReader().read(prefix), line + " cut to " + n);
                PickleFuzzTest.assertLocated(e, prefix);
            }
        }
        assertTrue(files > 100, "small corpus files: " + files);
    }

    // --- unknown opcodes ---

    @Test
    void everyByteThatIsNoOpcodeIsRejectedAsAnInvalidLoadKeyAtItsOffset() {
        int unknown = 0;
        for (int b = 0; b < 256; b++) {
            if (Opcode.forCode(b) != null) {
                continue;
            }
            unknown++;
            byte[] pickle = p(2).u1(b).stop().bytes();
            assertTrue(assertRejectedAt(pickle, 2, null).getMessage().contains("invalid load key"), "byte " + b);
        }
        assertEquals(256 - Opcode.values().length, unknown);
    }

    // --- stack underflow and MARK misuse ---

    static Stream<Case> stackUnderflows() {
        return Stream.of(
                Case.of("POP on an empty stack", p(2).here().op(Opcode.POP), Opcode.POP),
                Case.of("DUP on an empty stack", p(2).here().op(Opcode.DUP), Opcode.DUP),
                Case.of("APPEND with only the list", p(2).op(Opcode.EMPTY_LIST).here().op(Opcode.APPEND), Opcode.APPEND),
                Case.of("SETITEM with only the dict and a key", p(2).op(Opcode.EMPTY_DICT).op(Opcode.BININT1).u1(1).here().op(Opcode.SETITEM), Opcode.SETITEM),
                Case.of("TUPLE1 on an empty stack", p(2).here().op(Opcode.TUPLE1), Opcode.TUPLE1),
                Case.of("TUPLE2 with one value", p(2).op(Opcode.NONE).here().op(Opcode.TUPLE2), Opcode.TUPLE2),
                Case.of("TUPLE3 with two values", p(2).op(Opcode.NONE).op(Opcode.NONE).here().op(Opcode.TUPLE3), Opcode.TUPLE3),
                Case.of("BUILD with only the state", p(2).op(Opcode.EMPTY_DICT).here().op(Opcode.BUILD), Opcode.BUILD),
                Case.of("REDUCE with only the arguments", p(2).op(Opcode.EMPTY_TUPLE).here().op(Opcode.REDUCE), Opcode.REDUCE),
                Case.of("NEWOBJ with only the arguments", p(2).op(Opcode.EMPTY_TUPLE).here().op(Opcode.NEWOBJ), Opcode.NEWOBJ),
                Case.of("NEWOBJ_EX with arguments and kwargs only", p(4).op(Opcode.EMPTY_TUPLE).op(Opcode.EMPTY_DICT).here().op(Opcode.NEWOBJ_EX), Opcode.NEWOBJ_EX),
                Case.of("STACK_GLOBAL with only a name", p(4).shortUnicode("a").here().op(Opcode.STACK_GLOBAL), Opcode.STACK_GLOBAL),
                Case.of("BINPERSID on an empty stack", p(2).here().op(Opcode.BINPERSID), Opcode.BINPERSID),
                Case.of("READONLY_BUFFER on an empty stack", p(5).here().op(Opcode.READONLY_BUFFER), Opcode.READONLY_BUFFER),
                Case.of("BINPUT on an empty stack", p(2).here().op(Opcode.BINPUT).u1(0), Opcode.BINPUT),
                Case.of("MEMOIZE on an empty stack", p(4).here().op(Opcode.MEMOIZE), Opcode.MEMOIZE),
                Case.of("STOP on an empty stack", p(2).here().op(Opcode.STOP), Opcode.STOP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stackUnderflows")
    void anOpcodeNeedingMoreValuesThanTheStackHoldsFailsAtThatOpcode(Case c) {
        assertTrue(assertRejected(c).getMessage().contains("stack underflow"), c.name());
    }

    static Stream<Case> missingMarks() {
        return Stream.of(
                Case.of("APPENDS", p(2).op(Opcode.EMPTY_LIST).op(Opcode.NONE).here().op(Opcode.APPENDS).stop(), Opcode.APPENDS),
                Case.of("TUPLE", p(2).op(Opcode.NONE).here().op(Opcode.TUPLE).stop(), Opcode.TUPLE),
                Case.of("LIST", p(2).op(Opcode.NONE).here().op(Opcode.LIST).stop(), Opcode.LIST),
                Case.of("DICT", p(2).op(Opcode.NONE).op(Opcode.NONE).here().op(Opcode.DICT).stop(), Opcode.DICT),
                Case.of("SETITEMS", p(2).op(Opcode.EMPTY_DICT).op(Opcode.NONE).op(Opcode.NONE).here().op(Opcode.SETITEMS).stop(), Opcode.SETITEMS),
                Case.of("FROZENSET", p(4).op(Opcode.NONE).here().op(Opcode.FROZENSET).stop(), Opcode.FROZENSET),
                Case.of("ADDITEMS", p(4).op(Opcode.EMPTY_SET).op(Opcode.NONE).here().op(Opcode.ADDITEMS).stop(), Opcode.ADDITEMS),
                Case.of("POP_MARK", p(2).op(Opcode.NONE).here().op(Opcode.POP_MARK).stop(), Opcode.POP_MARK),
                Case.of("OBJ", p(2).op(Opcode.GLOBAL).line("builtins").line("object").here().op(Opcode.OBJ).stop(), Opcode.OBJ),
                Case.of("INST", new PickleBytes().op(Opcode.NONE).here().op(Opcode.INST).line("builtins").line("object").stop(), Opcode.INST));
    }

    @ParameterizedTest(name = "{0} without a MARK")
    @MethodSource("missingMarks")
    void anOpcodeThatClosesAMarkFailsAtThatOpcodeWhenNoMarkIsOpen(Case c) {
        assertTrue(assertRejected(c).getMessage().contains("MARK"), c.name());
    }

    static Stream<Case> valuesBelowAMark() {
        return Stream.of(
                Case.of("APPEND to a list below the MARK", p(2).op(Opcode.EMPTY_LIST).op(Opcode.MARK).op(Opcode.NONE).here().op(Opcode.APPEND).stop(), Opcode.APPEND),
                Case.of("APPENDS to a list below two MARKs", p(2).op(Opcode.EMPTY_LIST).op(Opcode.MARK).op(Opcode.MARK).op(Opcode.NONE).here().op(Opcode.APPENDS).stop(), Opcode.APPENDS),
                Case.of("SETITEM on a dict below the MARK", p(2).op(Opcode.EMPTY_DICT).op(Opcode.MARK).op(Opcode.NONE).op(Opcode.NONE).here().op(Opcode.SETITEM).stop(), Opcode.SETITEM),
                Case.of("TUPLE2 reaching below the MARK", p(2).op(Opcode.NONE).op(Opcode.MARK).op(Opcode.NONE).here().op(Opcode.TUPLE2).stop(), Opcode.TUPLE2),
                Case.of("BUILD on an object below the MARK", p(2).op(Opcode.NONE).op(Opcode.MARK).op(Opcode.NONE).here().op(Opcode.BUILD).stop(), Opcode.BUILD),
                Case.of("DUP of a value below the MARK", p(2).op(Opcode.NONE).op(Opcode.MARK).here().op(Opcode.DUP).stop(), Opcode.DUP),
                Case.of("BINPUT of a value below the MARK", p(2).op(Opcode.NONE).op(Opcode.MARK).here().op(Opcode.BINPUT).u1(0).stop(), Opcode.BINPUT),
                Case.of("STOP with the value below the MARK", p(2).op(Opcode.NONE).op(Opcode.MARK).here().op(Opcode.STOP), Opcode.STOP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesBelowAMark")
    void aValueBelowAnOpenMarkIsOutOfReachOfTheOpcodesAfterIt(Case c) {
        assertTrue(assertRejected(c).getMessage().contains("stack underflow"), c.name());
    }

    // --- memo ---

    static Stream<Case> badMemoIndices() {
        return Stream.of(
                Case.of("BINGET with an empty memo", p(2).here().op(Opcode.BINGET).u1(0).stop(), Opcode.BINGET),
                Case.of("BINGET of an index never put", p(2).op(Opcode.NONE).op(Opcode.BINPUT).u1(0).here().op(Opcode.BINGET).u1(5).stop(), Opcode.BINGET),
                Case.of("LONG_BINGET of 2^32-1", p(2).op(Opcode.NONE).op(Opcode.LONG_BINPUT).u4(0).here().op(Opcode.LONG_BINGET).u4(0xffff_ffffL).stop(), Opcode.LONG_BINGET),
                Case.of("GET of an index never put", new PickleBytes().op(Opcode.NONE).op(Opcode.PUT).line("0").here().op(Opcode.GET).line("7").stop(), Opcode.GET),
                Case.of("GET of text garbage", new PickleBytes().op(Opcode.NONE).op(Opcode.PUT).line("0").here().op(Opcode.GET).line("abc").stop(), Opcode.GET),
                Case.of("GET of an empty line", new PickleBytes().op(Opcode.NONE).op(Opcode.PUT).line("0").here().op(Opcode.GET).line("").stop(), Opcode.GET),
                Case.of("GET of -1", new PickleBytes().op(Opcode.NONE).op(Opcode.PUT).line("0").here().op(Opcode.GET).line("-1").stop(), Opcode.GET),
                Case.of("GET of a 30-digit index", new PickleBytes().op(Opcode.NONE).op(Opcode.PUT).line("0").here().op(Opcode.GET).line("9".repeat(30)).stop(), Opcode.GET),
                Case.of("GET of a float", new PickleBytes().op(Opcode.NONE).op(Opcode.PUT).line("0").here().op(Opcode.GET).line("0.5").stop(), Opcode.GET),
                Case.of("PUT of text garbage", new PickleBytes().op(Opcode.NONE).here().op(Opcode.PUT).line("x").stop(), Opcode.PUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMemoIndices")
    void aMemoIndexThatWasNeverPutOrIsNoIndexFailsAtItsOpcode(Case c) {
        assertRejected(c);
    }

    // --- declared lengths ---

    static Stream<Case> lengthsBeyondTheInput() {
        byte[] filler = latin1("abcdefgh");
        return Stream.of(
                Case.of("BINBYTES8 of 2^60 in a 20-byte file", p(4).here().op(Opcode.BINBYTES8).u8(1L << 60).raw(filler).raw((byte) 'i'), Opcode.BINBYTES8),
                Case.of("BINBYTES8 of 2^64-1", p(4).here().op(Opcode.BINBYTES8).u8(-1L).raw(filler).stop(), Opcode.BINBYTES8),
                Case.of("BINUNICODE8 of 2^60", p(4).here().op(Opcode.BINUNICODE8).u8(1L << 60).raw(filler).stop(), Opcode.BINUNICODE8),
                Case.of("BYTEARRAY8 of 2^60", p(5).here().op(Opcode.BYTEARRAY8).u8(1L << 60).raw(filler).stop(), Opcode.BYTEARRAY8),
                Case.of("BINBYTES of 2^32-1", p(3).here().op(Opcode.BINBYTES).u4(0xffff_ffffL).raw(filler).stop(), Opcode.BINBYTES),
                Case.of("BINUNICODE of 2^32-1", p(2).here().op(Opcode.BINUNICODE).u4(0xffff_ffffL).raw(filler).stop(), Opcode.BINUNICODE),
                Case.of("BINSTRING of 2^31-1", p(2).here().op(Opcode.BINSTRING).u4(0x7fff_ffffL).raw(filler).stop(), Opcode.BINSTRING),
                Case.of("BINSTRING of -1", p(2).here().op(Opcode.BINSTRING).u4(0xffff_ffffL).raw(filler).stop(), Opcode.BINSTRING),
                Case.of("LONG4 of 2^31-1 bytes", p(2).here().op(Opcode.LONG4).u4(0x7fff_ffffL).raw(filler).stop(), Opcode.LONG4),
                Case.of("LONG4 of -1 bytes", p(2).here().op(Opcode.LONG4).u4(0xffff_ffffL).raw(filler).stop(), Opcode.LONG4),
                Case.of("SHORT_BINBYTES of 255", p(3).here().op(Opcode.SHORT_BINBYTES).u1(255).raw(filler).stop(), Opcode.SHORT_BINBYTES),
                Case.of("FRAME of 2^63", p(4).here().op(Opcode.FRAME).u8(Long.MIN_VALUE).op(Opcode.NONE).stop(), Opcode.FRAME),
                Case.of("FRAME of 2^64-1", p(4).here().op(Opcode.FRAME).u8(-1L).op(Opcode.NONE).stop(), Opcode.FRAME),
                Case.of("FRAME of 2^60", p(4).here().op(Opcode.FRAME).u8(1L << 60).op(Opcode.NONE).stop(), Opcode.FRAME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengthsBeyondTheInput")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeclaredLengthBeyondTheInputFailsAtItsOpcodeWithoutAllocatingIt(Case c) {
        assertRejected(c);
    }

    @Test
    void theBinbytes8CaseIsTwentyBytesLong() {
        assertEquals(20, lengthsBeyondTheInput().findFirst().orElseThrow().pickle().length);
    }

    // --- a million deep ---

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMillionMarksThenAMillionFrozensetsFailAtTheFirstMarkPastTheLimit() {
        byte[] pickle = p(4).repeat(MILLION, (byte) Opcode.MARK.code()).repeat(MILLION, (byte) Opcode.FROZENSET.code()).stop().bytes();
        PickleException e = assertRejectedAt(pickle, 2 + LIMITS.maxMarks(), Opcode.MARK);
        assertTrue(e.getMessage().contains("MARK"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMillionEmptyListsThenAMillionAppendsFailAtTheLastAppendWhichHasNoListLeft() {
        // The first 999,999 APPENDs nest the lists 999,999 deep without recursion; the last has nothing to append to.
        assertTrue(MILLION <= LIMITS.maxStack(), "a million lists fit on the default stack");
        byte[] pickle = p(2).repeat(MILLION, (byte) Opcode.EMPTY_LIST.code()).repeat(MILLION, (byte) Opcode.APPEND.code()).stop().bytes();
        PickleException e = assertRejectedAt(pickle, 2 + MILLION + MILLION - 1, Opcode.APPEND);
        assertTrue(e.getMessage().contains("stack underflow"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneEmptyListMoreThanTheStackLimitFailsAtThatPush() {
        int lists = LIMITS.maxStack() + 1;
        byte[] pickle = p(2).repeat(lists, (byte) Opcode.EMPTY_LIST.code()).repeat(lists - 1, (byte) Opcode.APPEND.code()).stop().bytes();
        PickleException e = assertRejectedAt(pickle, 2 + LIMITS.maxStack(), Opcode.EMPTY_LIST);
        assertTrue(e.getMessage().contains("stack deeper than the limit"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMillionDictsNestedBySetitemFailAtTheFirstPushPastTheStackLimit() {
        PickleBytes pickle = p(2).op(Opcode.EMPTY_DICT);
        int pushes = 1;
        for (int i = 0; i < MILLION; i++) {
            for (Opcode push : new Opcode[] {Opcode.NONE, Opcode.EMPTY_DICT}) {
                if (++pushes == LIMITS.maxStack() + 1) {
                    pickle.here();
                }
                pickle.op(push);
            }
        }
        pickle.repeat(MILLION, (byte) Opcode.SETITEM.code()).stop();
        PickleException e = assertRejectedAt(pickle.bytes(), pickle.marked(), Opcode.EMPTY_DICT);
        assertTrue(e.getMessage().contains("stack deeper than the limit"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anEmptyTupleWrappedAMillionTimesByTuple1FailsAtTheFirstTuplePastTheNestingLimit() {
        // EMPTY_TUPLE at offset 2 nests 1 deep; the n-th TUPLE1, at offset 2 + n, nests n + 1 deep.
        byte[] pickle = p(2).op(Opcode.EMPTY_TUPLE).repeat(MILLION, (byte) Opcode.TUPLE1.code()).stop().bytes();
        PickleException e = assertRejectedAt(pickle, 2 + LIMITS.maxNesting(), Opcode.TUPLE1);
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    /** frozenset() in memo 0, then a million times: MARK, BINGET 0, FROZENSET, BINPUT 0, POP: constant stack. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void frozensetsNestedAMillionDeepThroughTheMemoFailAtTheFirstPastTheNestingLimit() {
        PickleBytes pickle = p(4).op(Opcode.MARK).op(Opcode.FROZENSET).op(Opcode.BINPUT).u1(0).op(Opcode.POP);
        for (int depth = 2; depth <= MILLION; depth++) {
            pickle.op(Opcode.MARK).op(Opcode.BINGET).u1(0);
            if (depth == LIMITS.maxNesting() + 1) {
                pickle.here();
            }
            pickle.op(Opcode.FROZENSET).op(Opcode.BINPUT).u1(0).op(Opcode.POP);
        }
        pickle.op(Opcode.BINGET).u1(0).stop();
        PickleException e = assertRejectedAt(pickle.bytes(), pickle.marked(), Opcode.FROZENSET);
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    /** Below protocol 4 a frozenset is builtins.frozenset([...]) by REDUCE; it nests under the same limit. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void frozensetsNestedAMillionDeepByReduceFailAtTheFirstPastTheNestingLimit() {
        PickleBytes pickle = p(2).op(Opcode.GLOBAL).line("__builtin__").line("frozenset").op(Opcode.BINPUT).u1(1)
                .op(Opcode.EMPTY_TUPLE).op(Opcode.REDUCE).op(Opcode.BINPUT).u1(0).op(Opcode.POP);
        for (int depth = 2; depth <= MILLION; depth++) {
            pickle.op(Opcode.BINGET).u1(1).op(Opcode.EMPTY_LIST).op(Opcode.BINGET).u1(0).op(Opcode.APPEND).op(Opcode.TUPLE1);
            if (depth == LIMITS.maxNesting() + 1) {
                pickle.here();
            }
            pickle.op(Opcode.REDUCE).op(Opcode.BINPUT).u1(0).op(Opcode.POP);
        }
        pickle.op(Opcode.BINGET).u1(0).stop();
        PickleException e = assertRejectedAt(pickle.bytes(), pickle.marked(), Opcode.REDUCE);
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    // --- values Python refuses ---

    static Stream<Case> unhashables() {
        PickleBytes emptyByteArray = p(5).op(Opcode.EMPTY_DICT).op(Opcode.BYTEARRAY8).u8(0).op(Opcode.NONE).here().op(Opcode.SETITEM).stop();
        return Stream.of(
                Case.of("a list as a SETITEM key", p(2).op(Opcode.EMPTY_DICT).op(Opcode.EMPTY_LIST).op(Opcode.NONE).here().op(Opcode.SETITEM).stop(), Opcode.SETITEM),
                Case.of("a list as a SETITEMS key", p(2).op(Opcode.EMPTY_DICT).op(Opcode.MARK).op(Opcode.EMPTY_LIST).op(Opcode.NONE).here().op(Opcode.SETITEMS).stop(), Opcode.SETITEMS),
                Case.of("a list as a DICT key", p(2).op(Opcode.MARK).op(Opcode.EMPTY_LIST).op(Opcode.NONE).here().op(Opcode.DICT).stop(), Opcode.DICT),
                Case.of("a dict as a key", p(2).op(Opcode.EMPTY_DICT).op(Opcode.EMPTY_DICT).op(Opcode.NONE).here().op(Opcode.SETITEM).stop(), Opcode.SETITEM),
                Case.of("a tuple holding a list as a key", p(2).op(Opcode.EMPTY_DICT).op(Opcode.EMPTY_LIST).op(Opcode.TUPLE1).op(Opcode.NONE).here().op(Opcode.SETITEM).stop(), Opcode.SETITEM),
                Case.of("a bytearray as a key", emptyByteArray, Opcode.SETITEM),
                Case.of("a list as an ADDITEMS element", p(4).op(Opcode.EMPTY_SET).op(Opcode.MARK).op(Opcode.EMPTY_LIST).here().op(Opcode.ADDITEMS).stop(), Opcode.ADDITEMS),
                Case.of("a list as a FROZENSET element", p(4).op(Opcode.MARK).op(Opcode.EMPTY_LIST).here().op(Opcode.FROZENSET).stop(), Opcode.FROZENSET),
                Case.of("a list in set([...]) by REDUCE", p(2).op(Opcode.GLOBAL).line("__builtin__").line("set")
                        .op(Opcode.EMPTY_LIST).op(Opcode.EMPTY_LIST).op(Opcode.APPEND).op(Opcode.TUPLE1).here().op(Opcode.REDUCE).stop(), Opcode.REDUCE));
    }

    /** CPython: TypeError: unhashable type (see everySmallMalformedCaseIsAlsoRejectedByCPython). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unhashables")
    void anUnhashableDictKeyOrSetElementFailsAtTheOpcodeThatHashesIt(Case c) {
        assertTrue(assertRejected(c).getMessage().contains("unhashable"), c.name());
    }

    static Stream<Case> buildsWithoutAttributes() {
        return Stream.of(
                Case.of("BUILD on a list", p(2).op(Opcode.EMPTY_LIST).op(Opcode.EMPTY_DICT).here().op(Opcode.BUILD).stop(), Opcode.BUILD),
                Case.of("BUILD on a dict", p(2).op(Opcode.EMPTY_DICT).op(Opcode.EMPTY_DICT).here().op(Opcode.BUILD).stop(), Opcode.BUILD),
                Case.of("BUILD on a tuple", p(2).op(Opcode.EMPTY_TUPLE).op(Opcode.EMPTY_DICT).here().op(Opcode.BUILD).stop(), Opcode.BUILD),
                Case.of("BUILD on an int", p(2).op(Opcode.BININT1).u1(7).op(Opcode.EMPTY_DICT).here().op(Opcode.BUILD).stop(), Opcode.BUILD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buildsWithoutAttributes")
    void buildOnABuiltinValueWithoutAttributesFailsAtTheBuild(Case c) {
        assertTrue(assertRejected(c).getMessage().contains("BUILD on a"), c.name());
    }

    static Stream<Case> invalidUtf8() {
        return Stream.of(
                Case.of("BINUNICODE of byte ff", p(2).here().op(Opcode.BINUNICODE).u4(1).u1(0xff).stop(), Opcode.BINUNICODE),
                Case.of("BINUNICODE of a lone continuation byte", p(2).here().op(Opcode.BINUNICODE).u4(2).u1('a').u1(0x80).stop(), Opcode.BINUNICODE),
                Case.of("BINUNICODE ending inside a 2-byte sequence", p(2).here().op(Opcode.BINUNICODE).u4(2).u1('a').u1(0xc3).stop(), Opcode.BINUNICODE),
                Case.of("BINUNICODE of an overlong NUL", p(2).here().op(Opcode.BINUNICODE).u4(2).u1(0xc0).u1(0x80).stop(), Opcode.BINUNICODE),
                Case.of("BINUNICODE past U+10FFFF", p(2).here().op(Opcode.BINUNICODE).u4(4).raw(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}).stop(), Opcode.BINUNICODE),
                Case.of("SHORT_BINUNICODE of byte ff", p(4).here().op(Opcode.SHORT_BINUNICODE).u1(1).u1(0xff).stop(), Opcode.SHORT_BINUNICODE),
                Case.of("BINUNICODE8 of byte ff", p(4).here().op(Opcode.BINUNICODE8).u8(1).u1(0xff).stop(), Opcode.BINUNICODE8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8InAStringFailsAtItsOpcode(Case c) {
        assertTrue(assertRejected(c).getMessage().contains("UTF-8"), c.name());
    }

    /** Oracle: CPython's pickle.loads rejects every small malformed case above (none is over-strict). */
    @Test
    void everySmallMalformedCaseIsAlsoRejectedByCPython() throws IOException {
        List<Case> cases = allSmallCases().toList();
        String script = String.join("\n",
                "import pickle, sys",
                "for line in sys.stdin.read().split():",
                "    try:",
                "        pickle.loads(bytes.fromhex(line))",
                "        print('LOADED')",
                "    except Exception as e:",
                "        print('REJECTED')",
                "");
        String input = cases.stream().map(c -> HexFormat.of().formatHex(c.pickle())).collect(Collectors.joining("\n"));
        List<String> verdicts = python(script, input).lines().toList();
        assertEquals(cases.size(), verdicts.size());
        List<String> loaded = IntStream.range(0, cases.size()).filter(i -> !verdicts.get(i).equals("REJECTED"))
                .mapToObj(i -> cases.get(i).name()).toList();
        assertEquals(List.of(), loaded, "cases CPython loads");
    }

    // --- valid but adversarial ---

    /**
     * L0 = [], and L(k) = [L(k-1)] * 10 for k = 1..32, each level a list holding the level below
     * ten times through BINGET: 10^32 paths through about a kilobyte.
     */
    static byte[] billionLaughs(int levels) {
        PickleBytes pickle = p(2).op(Opcode.EMPTY_LIST).op(Opcode.BINPUT).u1(0).op(Opcode.POP);
        for (int k = 1; k <= levels; k++) {
            pickle.op(Opcode.EMPTY_LIST).op(Opcode.BINPUT).u1(k).op(Opcode.MARK);
            for (int i = 0; i < 10; i++) {
                pickle.op(Opcode.BINGET).u1(k - 1);
            }
            pickle.op(Opcode.APPENDS).op(Opcode.POP);
        }
        return pickle.op(Opcode.BINGET).u1(levels).stop().bytes();
    }

    /** Walks down the first element of each level, checking all ten are that same object; returns the depth. */
    private static int laughDepth(Object root) {
        int depth = 0;
        Object level = root;
        while (level instanceof List<?> list && !list.isEmpty()) {
            assertEquals(10, list.size());
            for (Object item : list) {
                assertSame(list.get(0), item, "level " + depth);
            }
            level = list.get(0);
            depth++;
        }
        return depth;
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void billionLaughsMemoExpansionIsReadAndRewrittenInLinearSizeWithItsSharing() {
        byte[] input = billionLaughs(32);
        Object tree = new PickleReader().read(input);
        assertEquals(32, laughDepth(tree));
        for (int protocol = 0; protocol <= PickleWriter.HIGHEST_PROTOCOL; protocol++) {
            byte[] rewritten = new PickleWriter(protocol).write(tree);
            assertTrue(rewritten.length <= 3 * input.length, "protocol " + protocol + ": " + rewritten.length + " bytes from " + input.length);
            assertEquals(32, laughDepth(new PickleReader().read(rewritten)), "protocol " + protocol);
        }
    }

    /** Oracle: CPython loads our rewrites as the same shared structure (x[i] is x[0] at every level). */
    @Test
    void cpythonLoadsOurRewriteOfTheBillionLaughsWithTheSameSharing() throws IOException {
        Object tree = new PickleReader().read(billionLaughs(32));
        List<String> paths = new ArrayList<>();
        for (int protocol : new int[] {0, 2, 4, 5}) {
            paths.add(Files.write(dir.resolve("laughs.p" + protocol), new PickleWriter(protocol).write(tree)).toString());
        }
        String script = String.join("\n",
                "import pickle, sys",
                "for path in sys.argv[1:]:",
                "    with open(path, 'rb') as f:",
                "        x = pickle.load(f)",
                "    depth = 0",
                "    while x:",
                "        assert len(x) == 10 and all(item is x[0] for item in x), depth",
                "        x = x[0]",
                "        depth += 1",
                "    print(depth)",
                "");
        assertEquals(List.of("32", "32", "32", "32"), python(script, "", paths.toArray(String[]::new)).lines().toList());
    }

    /** Two equal tuples built apart, each holding the level below ten times: equality must not walk 10^32 paths. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoEqualBillionLaughTuplesAsDictKeysCompareInLinearTime() {
        PickleBytes pickle = p(2).op(Opcode.EMPTY_DICT).op(Opcode.MARK);
        for (int copy = 0; copy < 2; copy++) {
            int base = copy * 100;
            pickle.op(Opcode.EMPTY_TUPLE).op(Opcode.BINPUT).u1(base).op(Opcode.POP);
            for (int k = 1; k <= 32; k++) {
                pickle.op(Opcode.MARK);
                for (int i = 0; i < 10; i++) {
                    pickle.op(Opcode.BINGET).u1(base + k - 1);
                }
                pickle.op(Opcode.TUPLE).op(Opcode.BINPUT).u1(base + k).op(Opcode.POP);
            }
            pickle.op(Opcode.BINGET).u1(base + 32).op(Opcode.BININT1).u1(copy);
        }
        Map<?, ?> dict = (Map<?, ?>) new PickleReader().read(pickle.op(Opcode.SETITEMS).stop().bytes());
        assertEquals(Map.of(dict.keySet().iterator().next(), 1L), dict, "equal keys make one entry, the last value wins");
    }

    /** Each level of frozenset(frozenset(...)) as a key: the levels must not share one hash code. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyLevelOfAFrozensetChainAsADictKeyIsReadWithoutDeepComparisons() {
        int levels = LIMITS.maxNesting();
        PickleBytes pickle = p(4).op(Opcode.EMPTY_DICT).op(Opcode.MARK).op(Opcode.MARK).op(Opcode.FROZENSET).op(Opcode.MEMOIZE).op(Opcode.NONE);
        for (int k = 1; k < levels; k++) {
            pickle.op(Opcode.MARK).op(Opcode.LONG_BINGET).u4(k - 1).op(Opcode.FROZENSET).op(Opcode.MEMOIZE).op(Opcode.NONE);
        }
        Map<?, ?> dict = (Map<?, ?>) new PickleReader().read(pickle.op(Opcode.SETITEMS).stop().bytes());
        assertEquals(levels, dict.size());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoEqualFrozensetsNestedToTheLimitAreOneDictKey() {
        PickleBytes pickle = p(4).op(Opcode.EMPTY_DICT).op(Opcode.MARK);
        for (int copy = 0; copy < 2; copy++) {
            pickle.op(Opcode.MARK).op(Opcode.FROZENSET).op(Opcode.BINPUT).u1(copy).op(Opcode.POP);
            for (int depth = 2; depth <= LIMITS.maxNesting(); depth++) {
                pickle.op(Opcode.MARK).op(Opcode.BINGET).u1(copy).op(Opcode.FROZENSET).op(Opcode.BINPUT).u1(copy).op(Opcode.POP);
            }
            pickle.op(Opcode.BINGET).u1(copy).op(Opcode.BININT1).u1(copy);
        }
        Map<?, ?> dict = (Map<?, ?>) new PickleReader().read(pickle.op(Opcode.SETITEMS).stop().bytes());
        assertEquals(1, dict.size());
        assertEquals(1L, dict.values().iterator().next());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoEqualTuplesNestedToTheLimitAreOneDictKey() {
        PickleBytes pickle = p(2).op(Opcode.EMPTY_DICT).op(Opcode.MARK);
        for (int copy = 0; copy < 2; copy++) {
            pickle.op(Opcode.EMPTY_TUPLE).repeat(LIMITS.maxNesting() - 1, (byte) Opcode.TUPLE1.code()).op(Opcode.BININT1).u1(copy);
        }
        Map<?, ?> dict = (Map<?, ?>) new PickleReader().read(pickle.op(Opcode.SETITEMS).stop().bytes());
        assertEquals(1, dict.size());
    }

    /** d = {1: d}; t = (None, d): building t must not hash d (whose hash would recurse forever). */
    @Test
    void aTupleHoldingADictThatHoldsItselfIsRead() {
        byte[] pickle = p(2).op(Opcode.EMPTY_DICT).op(Opcode.BINPUT).u1(0).op(Opcode.BININT1).u1(1).op(Opcode.BINGET).u1(0).op(Opcode.SETITEM)
                .op(Opcode.NONE).op(Opcode.BINGET).u1(0).op(Opcode.TUPLE2).stop().bytes();
        PyTuple tuple = assertInstanceOf(PyTuple.class, new PickleReader().read(pickle));
        Map<?, ?> dict = assertInstanceOf(Map.class, tuple.get(1));
        assertSame(dict, dict.get(1L));
        PyTuple reread = (PyTuple) new PickleReader().read(new PickleWriter(2).write(tuple));
        Map<?, ?> rereadDict = assertInstanceOf(Map.class, reread.get(1));
        assertSame(rereadDict, rereadDict.get(1L), "the rewrite keeps the cycle");
    }

    /** L = [persistent_id(L)]: protocol 0 refuses the non-string id, and saying so must not print L forever. */
    @Test
    void aPersistentIdHoldingItselfIsRefusedByProtocol0WithAPickleException() {
        byte[] pickle = p(2).op(Opcode.EMPTY_LIST).op(Opcode.BINPUT).u1(0).op(Opcode.BINGET).u1(0).op(Opcode.BINPERSID).op(Opcode.APPEND).stop().bytes();
        List<?> list = assertInstanceOf(List.class, new PickleReader().read(pickle));
        assertSame(list, ((PyPersistentId) list.get(0)).id());
        PickleException e = assertThrows(PickleException.class, () -> new PickleWriter(0).write(list));
        assertTrue(e.getMessage().contains("persistent"), e.getMessage());
        List<?> reread = (List<?>) new PickleReader().read(new PickleWriter(2).write(list));
        assertSame(reread, ((PyPersistentId) reread.get(0)).id());
    }

    /** STACK_GLOBAL takes any str; GLOBAL and INST end names at a newline, so below protocol 4 such a name cannot be written. */
    @Test
    void aClassNameHoldingANewlineIsRefusedBelowProtocol4AndKeptAt4() {
        byte[] pickle = p(4).shortUnicode("a\nb").shortUnicode("C").op(Opcode.STACK_GLOBAL).stop().bytes();
        PyGlobal global = assertInstanceOf(PyGlobal.class, new PickleReader().read(pickle));
        assertEquals("a\nb", global.module());
        for (int protocol = 0; protocol < 4; protocol++) {
            int p = protocol;
            assertThrows(PickleException.class, () -> new PickleWriter(p).write(global), "protocol " + p);
        }
        assertEquals(global, new PickleReader().read(new PickleWriter(4).write(global)));
    }

    /** Oracle: CPython's empty str is one object, whichever opcode spelled it. */
    @Test
    void emptyStringsFromSeparateOpcodesAreOneObjectAsInCPython() throws IOException {
        byte[] pickle = p(4).op(Opcode.MARK).op(Opcode.BINUNICODE).u4(0).op(Opcode.SHORT_BINUNICODE).u1(0)
                .op(Opcode.BINUNICODE8).u8(0).op(Opcode.LIST).stop().bytes();
        List<?> list = assertInstanceOf(List.class, new PickleReader().read(pickle));
        assertSame(list.get(0), list.get(1));
        assertSame(list.get(0), list.get(2));
        String script = "import pickle, sys\nx = pickle.loads(bytes.fromhex(sys.stdin.read()))\nprint(x[0] is x[1] is x[2])\n";
        assertEquals("True", python(script, HexFormat.of().formatHex(pickle)).strip());
    }

    /**
     * c = C(l) where l = [c], with list items [7] and state {'s': 1}, as CPython 3.11 pickles it
     * (protocol 2). Saving c saves l, which saves c again; CPython's save_reduce then finds c
     * memoized, fetches it and returns, so items and state are written once.
     */
    private static final String OBJECT_IN_ITS_OWN_ARGUMENTS = "8002635f5f6d61696e5f5f0a430a71005d7101680068018571025271034b07617d7104"
            + "58010000007371054b01736261857106523068032e";

    @Test
    void anObjectInsideItsOwnConstructorArgumentsGetsItsItemsAndStateOnce() {
        Object tree = new PickleReader().read(HexFormat.of().parseHex(OBJECT_IN_ITS_OWN_ARGUMENTS));
        for (int protocol : new int[] {0, 2, 4}) {
            PyObject c = assertInstanceOf(PyObject.class, new PickleReader().read(new PickleWriter(protocol).write(tree)));
            assertEquals(List.of(7L), c.listItems(), "protocol " + protocol);
            assertSame(c, ((List<?>) c.args().get(0)).get(0), "protocol " + protocol);
        }
    }

    /** Oracle: CPython loads our rewrite with c.items == [7] (APPEND applied once) and l[0] is c. */
    @Test
    void cpythonLoadsOurRewriteOfAnObjectInsideItsOwnArgumentsWithItsItemsOnce() throws IOException {
        Object tree = new PickleReader().read(HexFormat.of().parseHex(OBJECT_IN_ITS_OWN_ARGUMENTS));
        String script = String.join("\n",
                "import pickle, sys",
                "class C:",
                "    def __init__(self, l):",
                "        self.l = l",
                "        self.items = []",
                "    def append(self, x):",
                "        self.items.append(x)",
                "for line in sys.stdin.read().split():",
                "    c = pickle.loads(bytes.fromhex(line))",
                "    print(c.items, c.s, c.l[0] is c)",
                "");
        String input = Stream.of(0, 2, 4).map(p -> HexFormat.of().formatHex(new PickleWriter(p).write(tree))).collect(Collectors.joining("\n"));
        assertEquals(List.of("[7] 1 True", "[7] 1 True", "[7] 1 True"), python(script, input).lines().toList());
    }

    private String python(String script, String stdin, String... args) throws IOException {
        Path file = Files.writeString(dir.resolve("oracle_" + Integer.toHexString(script.hashCode()) + ".py"), script);
        return PythonOracle.run(file, List.of(args), stdin);
    }

    /** Guards the case tables: each expected opcode is the byte at the expected offset. */
    @Test
    void everyCaseExpectsTheOpcodeThatSitsAtItsOffset() {
        allSmallCases().forEach(c -> assertEquals(c.opcode().code(), c.pickle()[c.offset()] & 0xff, c.name()));
    }

    private static Stream<Case> allSmallCases() {
        return Stream.of(cutShortArguments(), stackUnderflows(), missingMarks(), valuesBelowAMark(), badMemoIndices(),
                lengthsBeyondTheInput(), unhashables(), buildsWithoutAttributes(), invalidUtf8()).flatMap(s -> s);
    }
}
