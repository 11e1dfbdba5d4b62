package dburl

import "testing"

// SQLite URLs name the file River's CLI and River UI open for them.
func TestSQLitePathReadsURLsAsRiverDoes(t *testing.T) {
	for url, want := range map[string]string{
		"sqlite://app.db":                   "app.db",
		"sqlite://data/app.db":              "data/app.db",
		"sqlite:///var/lib/app.db":          "/var/lib/app.db",
		"sqlite:////var/lib/app.db":         "/var/lib/app.db",
		"sqlite:///tmp/x.db?_pragma=foo(1)": "/tmp/x.db",
		"sqlite:////app.db":                 "/app.db",
	} {
		got, _, err := sqlitePath(url)
		if err != nil || got != want {
			t.Errorf("sqlitePath(%q) = %q, %v; want %q", url, got, err, want)
		}
	}
	for _, url := range []string{"sqlite://", "sqlite:///", "sqlite:///app.db", "sqlite://:memory:", "sqlite:///:memory:"} {
		if path, _, err := sqlitePath(url); err == nil {
			t.Errorf("sqlitePath(%q) = %q, want an error", url, path)
		}
	}
}
