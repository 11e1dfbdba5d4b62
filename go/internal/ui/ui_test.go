package ui

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestBasicAuthRequiresBothNameAndPassword(t *testing.T) {
	open := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	guarded := withBasicAuth(open, "ops", "s3cret")
	for _, tc := range []struct {
		user, password string
		set            bool
		want           int
	}{
		{want: http.StatusUnauthorized},
		{user: "ops", password: "wrong", set: true, want: http.StatusUnauthorized},
		{user: "other", password: "s3cret", set: true, want: http.StatusUnauthorized},
		{user: "ops", password: "s3cret", set: true, want: http.StatusTeapot},
	} {
		request := httptest.NewRequest(http.MethodGet, "/", nil)
		if tc.set {
			request.SetBasicAuth(tc.user, tc.password)
		}
		recorder := httptest.NewRecorder()
		guarded.ServeHTTP(recorder, request)
		if recorder.Code != tc.want {
			t.Errorf("%q/%q: status %d, want %d", tc.user, tc.password, recorder.Code, tc.want)
		}
		if tc.want == http.StatusUnauthorized && recorder.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%q/%q: no WWW-Authenticate challenge", tc.user, tc.password)
		}
	}
	recorder := httptest.NewRecorder()
	withBasicAuth(open, "", "").ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, "/", nil))
	if recorder.Code != http.StatusTeapot {
		t.Fatalf("without credentials configured the UI is open; got status %d", recorder.Code)
	}
}
