# CPU used so far, in clock ticks (getconf CLK_TCK per second), user and system; sourced by the
# benchmark scripts, which take a reading before and after a level.

# One process; 0 once it has exited.
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# A process and its children (nginx's workers, PostgreSQL's backends), in one awk over every stat
# file (a process per backend took most of a second on a busy machine). Children that exited count
# through the parent's reaped-children time (cutime and cstime): a connection pool closing its
# overflow connections ends backends during a level, and their CPU must not vanish from it.
tree_ticks() {
  { cd /proc && cat "$1/stat" $(pgrep -P "$1" | sed 's|$|/stat|') 2>/dev/null || true; } \
    | awk 'NR == 1 { s += $16 + $17 } { s += $14 + $15 } END { print s + 0 }'
}

# The whole machine: everything but idle and iowait.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
