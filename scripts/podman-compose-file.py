#!/usr/bin/env python3
"""Adapts a compose file rendered by `docker-compose config` to podman-compose 1.0.3 (Debian 12),
in place, for scripts/compose-e2e.sh:

  podman-compose-file.py FILE health-strings     exec-form health checks (["CMD", ...]) become the
                                                 equivalent shell string: 1.0.3 consumes the list
                                                 while making a service's first replica
  podman-compose-file.py FILE replicas SERVICE N deploy.replicas of SERVICE: 1.0.3 ignores --scale
"""
import shlex
import sys

import yaml

path, action, args = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(path) as f:
    doc = yaml.safe_load(f)
if action == "health-strings":
    for service in doc["services"].values():
        test = service.get("healthcheck", {}).get("test")
        if isinstance(test, list) and test[:1] == ["CMD"]:
            service["healthcheck"]["test"] = shlex.join(test[1:])
        elif isinstance(test, list) and test[:1] == ["CMD-SHELL"]:
            service["healthcheck"]["test"] = test[1]
elif action == "replicas":
    doc["services"][args[0]].setdefault("deploy", {})["replicas"] = int(args[1])
else:
    sys.exit(f"podman-compose-file.py: unknown action {action!r} (health-strings, replicas)")
with open(path, "w") as f:
    yaml.safe_dump(doc, f, sort_keys=False)
