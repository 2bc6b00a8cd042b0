#!/usr/bin/env bash
# The fault tests that need the scale-out topology (scripts/cluster.sh): a Galera node killed during order placement,
# a certification conflict at commit, MariaDB (the whole Galera cluster) restarted. .ci/run runs it after
# scripts/test.sh. The faults that need no cluster (Redis master killed: RedisClusterTests; WeChat 5xx/-1/45009/slow:
# SandboxFaultTests, OutboxSlowWeChatTests …) run in the normal suite. See docs/scale-out.md.
exec "$(dirname "${BASH_SOURCE[0]}")/cluster-test.sh" --filter "TestCategory=ClusterFaults" "$@"
