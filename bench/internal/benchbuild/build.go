// Package benchbuild builds the cometterm binary for the benchmark
// programs, which measure it as a separate process.
package benchbuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ModuleRoot is the directory of the cometterm go.mod the benchmark runs in.
func ModuleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run the benchmark inside the cometterm module")
	}
	return filepath.Dir(gomod), nil
}

// Binary builds cometterm to bin (relative paths are taken from the
// module root) and returns its absolute path.
func Binary(ctx context.Context, bin string) (string, error) {
	root, err := ModuleRoot(ctx)
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(bin) {
		bin = filepath.Join(root, bin)
	}
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build cometterm: %w", err)
	}
	return bin, nil
}
