# shellcheck shell=bash
# ensure_merge_base BASE BRANCH: make `git merge-base HEAD BASE` answer in a
# shallow clone (actions/checkout fetches one commit by default). BRANCH, when
# set, is fetched first as refs/remotes/origin/BRANCH; then the history of
# HEAD and BRANCH is deepened, doubling each time, until the merge base is
# there; past PGWARDEN_MAX_DEEPEN commits (default 4096) the rest is fetched
# whole. Fails with one line when there is none (unrelated histories).
ensure_merge_base() {
    local base=$1 branch=$2 step=32 fetched=0 max=${PGWARDEN_MAX_DEEPEN:-4096} head
    local -a refs=()
    head=$(git rev-parse HEAD) || fail "not a git checkout: $(pwd)"
    if [ -n "$branch" ]; then
        refs=("+refs/heads/$branch:refs/remotes/origin/$branch")
        git fetch -q --no-tags --depth=1 origin "${refs[@]}" 2>/dev/null ||
            fail "cannot fetch the base branch '$branch' from origin"
    fi
    git rev-parse -q --verify "$base^{commit}" >/dev/null ||
        fail "diff-base '$base' is not a commit of this checkout (fetch it first, or name a branch of origin)"
    until git merge-base HEAD "$base" >/dev/null 2>&1; do
        if [ "$(git rev-parse --is-shallow-repository)" != true ]; then
            fail "no merge base between HEAD and $base: the histories are unrelated"
        fi
        if [ "$fetched" -ge "$max" ]; then
            git fetch -q --no-tags --unshallow origin "$head" "${refs[@]}" 2>/dev/null ||
                fail "cannot fetch the whole history from origin to find the merge base with $base"
            continue
        fi
        # HEAD by its id: on a pull request it is the merge commit of
        # refs/pull/N/merge, which no branch of origin points to.
        git fetch -q --no-tags --deepen="$step" origin "$head" "${refs[@]}" 2>/dev/null ||
            fail "cannot deepen the clone from origin to find the merge base with $base"
        fetched=$((fetched + step))
        step=$((step * 2))
    done
    echo "merge base with $base: $(git merge-base HEAD "$base") (fetched $fetched more commits)"
}
