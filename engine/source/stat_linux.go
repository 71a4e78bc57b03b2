package source

import "syscall"

// ctimeOf is the time of the file's last status change, in nanoseconds.
func ctimeOf(st *syscall.Stat_t) int64 { return st.Ctim.Nano() }
