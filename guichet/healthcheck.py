"""The container's HEALTHCHECK: GET /healthz (which queries the database) on this server, with a
Host header the portal accepts (the first of ALLOWED_HOSTS). Exit status 0 when healthy."""

import os
import sys
import urllib.request


def main() -> int:
    hotes = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    hote = next((h for h in hotes if h and h != "*"), "localhost")
    port = os.environ.get("PORT", "8000")
    requete = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": hote})
    try:
        with urllib.request.urlopen(requete, timeout=4) as reponse:
            return 0 if reponse.status == 200 else 1
    except Exception as exc:
        print(f"healthz : {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
