//go:build !unix

package watch

import (
	"context"
	"os/exec"
)

// shellCommand runs line with the system's command interpreter.
func shellCommand(ctx context.Context, line string) *exec.Cmd {
	return exec.CommandContext(ctx, "cmd", "/C", line)
}
