#!/usr/bin/env bash
# The lifecycle model as a soak: one long seeded sequence of ADDs, DELs, late DELs, GCs, concurrent calls,
# callers that give up, restarts and flushes against the real kernel (PodLifecycleModelIT), every step
# checked against the model. usage: test/bench/lifecycle-soak.sh [steps] [seed]
# Needs root; runs in a private network namespace like every kernel test.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/test/bin/requirements"
cd "$root"
./mvnw -B -pl ipamd -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=PodLifecycleModelIT \
  -Dlifecycle.steps="${1:-10000}" -Dlifecycle.seed="${2:-$RANDOM}" 2>&1 | grep -E 'lifecycle model|FAIL|replay with' || true
