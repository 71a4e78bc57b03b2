package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfile writes a CPU profile to the file LOFTE_CPUPROFILE names and
// a heap profile (at the end) to LOFTE_MEMPROFILE, for measuring lofte on a
// large repository (docs/scaling.md). stop writes them out.
func startProfile() (stop func()) {
	cpu, mem := os.Getenv("LOFTE_CPUPROFILE"), os.Getenv("LOFTE_MEMPROFILE")
	var f *os.File
	if cpu != "" {
		if f, _ = os.Create(cpu); f != nil {
			_ = pprof.StartCPUProfile(f)
		}
	}
	return func() {
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
		if mem == "" {
			return
		}
		if m, err := os.Create(mem); err == nil {
			runtime.GC()
			_ = pprof.Lookup("allocs").WriteTo(m, 0)
			m.Close()
		}
	}
}
