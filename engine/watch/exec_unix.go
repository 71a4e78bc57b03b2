//go:build unix

package watch

import (
	"context"
	"os/exec"
	"syscall"
)

// shellCommand runs line with sh in a process group of its own, so that
// on time out the shell and everything it started are killed together.
func shellCommand(ctx context.Context, line string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "sh", "-c", line)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd
}
