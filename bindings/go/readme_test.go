package nameauth

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every ```go block of this package's page (README.md) is a run of consecutive lines of a
// test that runs (example_test.go, nameauthtest/example_test.go): white space at either
// end of a line and blank lines aside, as tools/check_snippets.py compares README.md's.
func TestReadmeBlocksAreTestedCode(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var sources [][]string
	for _, f := range []string{"example_test.go", "nameauthtest/example_test.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, lines(string(b)))
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 2 {
		t.Fatalf("README.md has %d go blocks, want the example and the test helper's", len(blocks))
	}
	for _, b := range blocks {
		want := lines(b[1])
		found := false
		for _, src := range sources {
			for i := 0; i+len(want) <= len(src) && !found; i++ {
				found = equal(src[i:i+len(want)], want)
			}
		}
		if !found {
			t.Errorf("README.md block is in no tested file:\n%s", b[1])
		}
	}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func equal(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
