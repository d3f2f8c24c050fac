"""The torch oracle of the it suite: Debian's /usr/bin/python3 with torch 1.13, numpy, omegaconf.

    oracle.py --serve            one request per stdin line, a JSON array [command, args...];
                                 each reply is "OK <n>\\n" or "ERR <n>\\n" and n bytes of UTF-8
                                 (the result, or the traceback). Importing torch once per test
                                 run keeps the suite fast.
    oracle.py COMMAND ARGS...    runs one command and prints its result (for debugging).
"""
import json
import sys
import traceback

import checkpoints
import checks
import fidelity
import lightning_sample

COMMANDS = {
    "make": checkpoints.make,
    "check_tensors": checks.check_tensors,
    "compare": checks.compare,
    "zip_records": checks.zip_records,
    "copy_zip": checks.copy_zip,
    "append_record": checks.append_record,
    "flip_byte": checks.flip_byte,
    "load_type": checks.load_type,
    "make_corpus": fidelity.make_corpus,
    "check_modes": fidelity.check_modes,
    "load_state_dict_strict": fidelity.load_state_dict_strict,
    "loads_in": lambda path: ",".join(fidelity.loads_in(path)),
    "check_lightning_sample": lightning_sample.check,
}


def run(request):
    return str(COMMANDS[request[0]](*request[1:]))


def serve():
    replies = sys.stdout.buffer
    sys.stdout = sys.stderr  # stray prints must not corrupt the replies
    for line in sys.stdin:
        try:
            status, text = "OK", run(json.loads(line))
        except Exception:
            status, text = "ERR", traceback.format_exc()
        data = text.encode("utf-8")
        replies.write(f"{status} {len(data)}\n".encode("ascii") + data)
        replies.flush()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        print(run(sys.argv[1:]))
