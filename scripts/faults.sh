#!/usr/bin/env bash
# The fault tests that need the scale-out topology (scripts/cluster.sh; category ClusterFaults): a Galera node killed
# during order placement, a certification conflict at commit, the whole Galera cluster restarted, an API instance
# killed with kill -9 mid-payment-notifications and mid-campaign. .ci/run runs it
# after scripts/test.sh. The faults that need no cluster (a Redis master killed: RedisClusterTests; WeChat answering
# 5xx, -1, 45009 or slowly: SandboxFaultTests, OutboxSlowWeChatTests, …) run in the normal suite. docs/scale-out.md.
# Extra arguments go to dotnet test (a --filter given replaces the category).
args=("$@")
has_filter=0; for a in "$@"; do [ "$a" = "--filter" ] && has_filter=1; done
[ $has_filter -eq 1 ] || args+=(--filter "TestCategory=ClusterFaults")
exec "$(dirname "${BASH_SOURCE[0]}")/cluster-test.sh" "${args[@]}"
