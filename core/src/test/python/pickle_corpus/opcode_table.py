"""Prints CPython's pickle opcode table: name<TAB>code<TAB>argument kind<TAB>protocol, one per line."""
import pickletools

for op in pickletools.opcodes:
    arg = op.arg.name if op.arg is not None else "none"
    print(f"{op.name}\t{ord(op.code)}\t{arg}\t{op.proto}")
