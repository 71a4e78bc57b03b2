//go:build !unix

package source

import (
	"os"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// fillStat does nothing where there is no Unix stat data: git then reads
// the file once to see that it is unchanged.
func fillStat(*index.Entry, os.FileInfo) {}

// statKeyOf is the stat data the stat cache compares: size and
// modification time only.
func statKeyOf(fi os.FileInfo) statKey {
	return statKey{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
}
