package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestContainerImage builds the release's container image from the
// Dockerfile, the way .goreleaser.yaml does (the binary built with the
// release's ldflags under OS/ARCH/ of the build context), with buildah,
// which needs no Docker engine, and runs what the image runs, as the
// image's user, over a copy of the bundled example mounted read-only at
// /repo: the page and /healthz must answer from outside the container.
// It runs where LOFTE_CONTAINER_TEST=1 (.ci/run sets it when buildah is
// installed and works) and is skipped elsewhere.
func TestContainerImage(t *testing.T) {
	if os.Getenv("LOFTE_CONTAINER_TEST") != "1" {
		t.Skip("set LOFTE_CONTAINER_TEST=1 (and install buildah) to build and run the image")
	}
	if runtime.GOOS != "linux" {
		t.Skip("container images are built on Linux")
	}
	work := t.TempDir()
	platform := "linux/" + runtime.GOARCH
	ctxDir := filepath.Join(work, "context")
	bin := filepath.Join(ctxDir, platform, "lofte")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", releaseLdflags(t), "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	copyFile(t, "../../Dockerfile", filepath.Join(ctxDir, "Dockerfile"))

	store := []string{"--storage-driver", "vfs", "--root", filepath.Join(work, "storage"), "--runroot", filepath.Join(work, "run")}
	buildah := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("buildah", append(append([]string{}, store...), args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("buildah %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return strings.TrimSpace(string(out))
	}
	t.Cleanup(func() { exec.Command("buildah", append(append([]string{}, store...), "rm", "--all")...).Run() })
	buildah("bud", "--quiet", "--isolation", "chroot", "--platform", platform,
		"--build-arg", "TARGETPLATFORM="+platform, "-t", "localhost/lofte:test", ctxDir)

	var image struct {
		OCIv1 struct {
			Config struct {
				User         string
				Entrypoint   []string
				Cmd          []string
				WorkingDir   string
				ExposedPorts map[string]struct{}
			} `json:"config"`
		}
	}
	if err := json.Unmarshal([]byte(buildah("inspect", "--type", "image", "localhost/lofte:test")), &image); err != nil {
		t.Fatal(err)
	}
	cfg := image.OCIv1.Config
	if cfg.User != "65532:65532" || cfg.WorkingDir != "/repo" {
		t.Errorf("image runs as %q in %q, want 65532:65532 in /repo", cfg.User, cfg.WorkingDir)
	}
	if _, ok := cfg.ExposedPorts["8080/tcp"]; !ok {
		t.Errorf("image exposes %v, want 8080/tcp", cfg.ExposedPorts)
	}
	args := append(append([]string{}, cfg.Entrypoint...), cfg.Cmd...)
	if strings.Join(args, " ") != "/usr/bin/lofte serve --repo /repo --addr :8080" {
		t.Fatalf("image runs %q", args)
	}

	// The image has the binary and nothing else; it says its version.
	ctr := buildah("from", "--quiet", "--pull-never", "localhost/lofte:test")
	run := func(ctx context.Context, mount string, args ...string) *exec.Cmd {
		a := append(append([]string{}, store...), "run", "--isolation", "chroot", "--user", cfg.User)
		if mount != "" {
			a = append(a, "--volume", mount+":/repo:ro")
		}
		cmd := exec.CommandContext(ctx, "buildah", append(append(a, ctr, "--"), args...)...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
		return cmd
	}
	if out, err := run(context.Background(), "", "/usr/bin/lofte", "--version").CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "lofte 9.8.7 ") {
		t.Errorf("lofte --version in the image: %q, %v", out, err)
	}

	// The image's command over the bundled example, on a free port (chroot
	// isolation shares the host's network).
	repo := exampleRepo(t, filepath.Join(work, "repo"))
	addr := freeAddr(t)
	args[len(args)-1] = addr
	args = append(args, "--period", "2022", "--as-of", "2022-08-31") // the example's last year
	ctx, cancel := context.WithCancel(context.Background())
	serve := run(ctx, repo, args...)
	var log bytes.Buffer
	serve.Stdout, serve.Stderr = &log, &log
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { serve.Wait(); close(exited) }()
	t.Cleanup(func() { cancel(); <-exited })

	base := "http://" + addr
	for {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			break
		}
		select {
		case <-exited:
			t.Fatalf("lofte serve exited in the image before it answered:\n%s", log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if resp, body := get(t, base+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d %s\n%s", resp.StatusCode, body, log.String())
	}
	if resp, body := get(t, base+"/"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Medborgarlöfte Mullsjö 2021–2022") || !strings.Contains(body, "trafikkontroller mot bilburen ungdom") {
		t.Errorf("/: %d, the page does not show the bundled promise:\n%.400s\n%s", resp.StatusCode, body, log.String())
	}
}

// exampleRepo makes a git repository of the project's own rules/ and data/
// in dir, readable by every user (the image runs as 65532).
func exampleRepo(t *testing.T, dir string) string {
	t.Helper()
	for _, sub := range []string{"rules", "data"} {
		err := filepath.WalkDir(filepath.Join("../..", sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel("../..", p)
			copyFile(t, p, filepath.Join(dir, rel))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "Exempel"}} {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = gitEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", args[0], err, out)
		}
	}
	// t.TempDir's folders are the tester's alone.
	for p := dir; p != filepath.Dir(p) && strings.HasPrefix(p, os.TempDir()); p = filepath.Dir(p) {
		os.Chmod(p, 0o755)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		return os.Chmod(p, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
