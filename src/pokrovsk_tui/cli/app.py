"""Commands that open the Textual app (play, load, replay, the title screen) and serve it."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cmd_app(args) -> int:
    """Open the Textual app: the title screen, a new game (`play`) or a save (`load`)."""
    if args.command == "play":
        from pokrovsk_tui.game.session import ai_levels
        from pokrovsk_tui.store.scenarios import ScenarioError, load_scenario

        try:
            load_scenario(args.scenario)
        except ScenarioError as e:
            print(e, file=sys.stderr)
            return 1
        for opt, val in (("--ai", args.ai), ("--ua-ai", args.ua_ai), ("--ru-ai", args.ru_ai)):
            if val is not None and val not in ai_levels():
                print(f"pokrovsk play: {opt} {val!r} is not a level (levels: {', '.join(ai_levels())})",
                      file=sys.stderr)
                return 2
        if (args.ua_ai or args.ru_ai) and args.mode != "watch":
            print("pokrovsk play: --ua-ai and --ru-ai are for --mode watch (use --ai for the computer "
                  "opponent)", file=sys.stderr)
            return 2
        if args.seed is not None and args.seed < 0:
            print("pokrovsk play: --seed cannot be negative", file=sys.stderr)
            return 2
    if args.command in ("load", "replay") and not Path(args.file).is_file():
        print(f"{args.file}: (file): no such file", file=sys.stderr)
        return 1
    web = bool(os.environ.get("TEXTUAL_DRIVER"))       # under `pokrovsk serve`: a browser is the terminal
    if not web and (not sys.stdout.isatty() or not sys.stdin.isatty()):
        print("pokrovsk: the game needs an interactive terminal (try `pokrovsk --help` for the headless "
              "commands)", file=sys.stderr)
        return 2
    from pokrovsk_tui.tui.app import PokrovskApp, Start

    if args.command == "play":
        start = Start(kind="play", scenario=args.scenario, mode=args.mode, side=0 if args.side == "ua" else 1,
                      ai=args.ai, seed=args.seed, names=(args.ua_name, args.ru_name),
                      watch_levels=(args.ua_ai, args.ru_ai))
    elif args.command == "load":
        start = Start(kind="load", path=args.file)
    elif args.command == "replay":
        start = Start(kind="replay", path=args.file)
    else:
        start = Start()
    PokrovskApp(start).run()
    return 0


def is_loopback(host: str) -> bool:
    """True for addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args) -> int:
    """Serve the app to web browsers with textual-serve: each browser tab runs its own copy of
    the game (the title screen, or the replay of a save) in a process on this computer."""
    import shlex

    if args.replay is not None and not Path(args.replay).is_file():
        print(f"{args.replay}: (file): no such file", file=sys.stderr)
        return 1
    try:
        from pokrovsk_tui.tui.serve import make_server
    except ImportError as e:
        print(f"pokrovsk serve needs textual-serve ({e}); install it with: python3 -m pip install textual-serve",
              file=sys.stderr)
        return 1
    command = f"{shlex.quote(sys.executable)} -m pokrovsk_tui"
    if args.replay is not None:
        command += f" replay {shlex.quote(str(Path(args.replay).resolve()))}"
    host = args.host
    if not is_loopback(host):
        print(f"WARNING: serving on {host}: anyone who can reach this computer on port {args.port} can open the "
              "game in a browser, start games and write saves into the save folder, with no password. Use it "
              "only on a network you trust (a classroom), and stop it (ctrl+c) after the lesson. The default, "
              "127.0.0.1, serves this computer only.", file=sys.stderr)
    shown = host if ":" not in host else f"[{host}]"
    print(f"pokrovsk: serving the game on http://{shown}:{args.port}/ (ctrl+c stops)", file=sys.stderr)
    server = make_server(command, host=host, port=args.port)
    try:
        server.serve()
    except OSError as e:
        print(f"pokrovsk serve: cannot listen on {host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0
