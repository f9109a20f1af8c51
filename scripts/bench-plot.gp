# One line chart per benchmark measure, as SVG: a line per mode over the concurrency levels.
#   gnuplot -c scripts/bench-plot.gp DATA OUT TITLE YLABEL "MODE ..." "LEVEL ..." [XLABEL]
# DATA: "concurrency value" rows, one block per mode in the order of MODE (blocks separated by
# two blank lines, gnuplot's data set index); scripts/bench.sh writes it from levels.tsv.
data = ARG1
modes = ARG5
set terminal svg size 720,420 dynamic font "sans,12" background rgb "white"
set output ARG2
set title ARG3
set xlabel (ARGC >= 7 ? ARG7 : "concurrency (wrk connections)")
set ylabel ARG4
# Levels multiply (concurrency 1 16 64 256, nodes 10 100 1000): a log scale spaces them evenly.
set logscale x 2
set offsets graph 0.04, graph 0.04, 0, 0
set xtics nomirror ()
do for [level in ARG6] { set xtics add (level int(level)) }
set ytics nomirror
set yrange [0:*]
set grid ytics lc rgb "#dddddd"
set key inside left top box opaque
set style data linespoints
plot for [i = 1:words(modes)] data index (i - 1) using 1:2 pointtype 7 pointsize 0.8 linewidth 2 title word(modes, i)
