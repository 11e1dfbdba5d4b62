package dburl

import (
	"context"
	"strings"
	"testing"
	"time"
)

// No form of PostgreSQL connection string gets its secret into an error.
func TestOpenErrorsNeverShowSecrets(t *testing.T) {
	const secret = "S3cr3t"
	urls := []string{
		"postgres://u:" + secret + "@127.0.0.1:1/db",
		"postgres://u@127.0.0.1:1/db?password=" + secret,
		"postgres://u@127.0.0.1:1/db?sslmode=disable&PASSWORD=" + secret + "&x=1",
		"postgresql://u@127.0.0.1:1/db?sslpassword=" + secret,
		"postgres://u@127.0.0.1:1/db?passfile=/home/" + secret,
		"postgres://u:" + secret + "@127.0.0.1:notaport/db",
		"postgres://u:" + strings.ToLower(secret) + "%40x@127.0.0.1:1/db",
		"postgres://u:" + secret + "@[::1/db",
		"host=127.0.0.1 port=1 user=u password=" + secret,
		"host=127.0.0.1 port=1 user=u password='" + secret + " with space'",
		"postgres://%zz:" + secret + "@h/db",
	}
	for _, url := range urls {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := Open(ctx, url)
		cancel()
		if err == nil {
			t.Fatalf("%s: opened", url)
		}
		if message := strings.ToLower(err.Error()); strings.Contains(message, strings.ToLower(secret)) {
			t.Errorf("secret in error for %s: %s", url, err)
		}
	}
}
