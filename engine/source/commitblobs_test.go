package source

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lazyRepo is deltaRepo (packed, with delta chains) and a last commit of
// loose objects: a new file, and one of 2 MB of repeated text that
// compresses to a few kilobytes.
func lazyRepo(t *testing.T) *testRepo {
	t.Helper()
	r := deltaRepo(t)
	r.write("data/2022/ny.csv", "2022-05-01;trafikkontroll;Habo;polisen\n")
	r.write("data/2022/stor.csv", strings.Repeat("2022-05-01;trafikkontroll;Habo;polisen\n", 2<<20/39))
	r.commit("2022-02-01T12:00:00+01:00", "lös")
	return r
}

// RevisionIDs gives what Revision gives, the record files without their
// bytes, which ReadData reads from packs and loose objects alike, from
// several goroutines at once; nothing is read until asked for.
func TestRevisionIDsReadsOnDemand(t *testing.T) {
	r := lazyRepo(t)
	repo := mustOpen(t, r.dir)
	want, err := repo.Revision("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	for _, read := range []func() (*Snapshot, error){
		func() (*Snapshot, error) { return repo.RevisionIDs("HEAD") },
		func() (*Snapshot, error) { return repo.KnownAtIDs(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)) },
	} {
		before := blobReads.Load()
		got, err := read()
		if err != nil {
			t.Fatal(err)
		}
		if n := blobReads.Load() - before; n != 0 {
			t.Errorf("%d blobs read before any was asked for", n)
		}
		if got.blobs.ps != nil {
			t.Error("the packs were opened before any blob was asked for")
		}
		if len(got.Files) != len(want.Files) || len(got.Unread) != 0 || got.Commit != want.Commit {
			t.Fatalf("%d files, unread %v, commit %s; want %d files of %s", len(got.Files), got.Unread, got.Commit, len(want.Files), want.Commit)
		}
		var wg sync.WaitGroup
		for i, f := range got.Files {
			w := want.Files[i]
			if f.Path != w.Path || f.ID != w.ID {
				t.Fatalf("file %s %s, want %s %s", f.Path, f.ID, w.Path, w.ID)
			}
			if !strings.HasPrefix(f.Path, "data/") {
				if f.Unchanged || !bytes.Equal(f.Data, w.Data) {
					t.Errorf("%s: unchanged %v, %d bytes; want its bytes", f.Path, f.Unchanged, len(f.Data))
				}
				continue
			}
			if !f.Unchanged || f.Data != nil {
				t.Errorf("%s: unchanged %v, %d bytes; want no bytes", f.Path, f.Unchanged, len(f.Data))
			}
			wg.Go(func() {
				b, err := got.ReadData(f.Path)
				if err != nil || !bytes.Equal(b, w.Data) || FileID(b) != f.ID {
					t.Errorf("ReadData(%s): %d bytes, %v; want %d bytes", f.Path, len(b), err, len(w.Data))
				}
			})
		}
		wg.Wait()
		if n := blobReads.Load() - before; n != 5 {
			t.Errorf("%d blobs read, want the 5 record files", n)
		}
		if err := got.ReadErr(); err != nil {
			t.Error(err)
		}
	}
}

// A blob over the size limit is Unread, with its size, as Revision says,
// packed (whole or a delta) or loose, read from its header without being
// inflated; a loose blob that compresses well is not taken as small.
func TestRevisionIDsTooLarge(t *testing.T) {
	r := lazyRepo(t)
	for _, limit := range []int64{1, 100, 20 << 10, 1 << 20, 3 << 20} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			repo := mustOpen(t, r.dir)
			repo.SetMaxFileSize(limit)
			want, err := repo.Revision("HEAD")
			if err != nil {
				t.Fatal(err)
			}
			got, err := repo.RevisionIDs("HEAD")
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got.Unread) != fmt.Sprint(want.Unread) || paths(got.Files) != paths(want.Files) {
				t.Errorf("unread %v, files %s; want %v, %s", got.Unread, paths(got.Files), want.Unread, paths(want.Files))
			}
			if limit == 1<<20 && !strings.Contains(fmt.Sprint(got.Unread), "data/2022/stor.csv") {
				t.Errorf("stor.csv, 2 MB, not too large at 1 MB: %v", got.Unread)
			}
		})
	}
}

// looseObject is the path of the loose object of the file rel at HEAD.
func looseObject(t *testing.T, r *testRepo, rel string) string {
	t.Helper()
	blob := r.git("rev-parse", "HEAD:"+rel)
	obj := filepath.Join(r.dir, ".git", "objects", blob[:2], blob[2:])
	if err := os.Chmod(obj, 0o644); err != nil {
		t.Fatal(err)
	}
	return obj
}

// A record file whose object is missing is an error of RevisionIDs, as of
// Revision; one whose object is damaged is an error of ReadData, and of
// ReadErr after it, naming the file and the commit.
func TestRevisionIDsDamagedObject(t *testing.T) {
	r := lazyRepo(t)
	short := r.git("rev-parse", "--short=7", "HEAD")
	repo := mustOpen(t, r.dir)
	obj := looseObject(t, r, "data/2022/ny.csv")
	if err := os.WriteFile(obj, []byte("inte en zlib-ström"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := repo.Revision("HEAD")
	wantErr(t, err, "data/2022/ny.csv i commit "+short)
	snap, err := repo.RevisionIDs("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if err := snap.ReadErr(); err != nil {
		t.Errorf("ReadErr before any read: %v", err)
	}
	if _, err := snap.ReadData("data/2022/trafik.csv"); err != nil {
		t.Fatal(err)
	}
	_, err = snap.ReadData("data/2022/ny.csv")
	wantErr(t, err, "data/2022/ny.csv i commit "+short, "git fsck")
	wantErr(t, snap.ReadErr(), "data/2022/ny.csv i commit "+short)

	if err := os.Remove(obj); err != nil {
		t.Fatal(err)
	}
	_, err = repo.RevisionIDs("HEAD")
	wantErr(t, err, "data/2022/ny.csv i commit "+short, "saknas")
}

func paths(files []File) string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	return strings.Join(out, " ")
}
