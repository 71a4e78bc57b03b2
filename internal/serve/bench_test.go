package serve

import (
	"net/http"
	"strings"
	"testing"
)

// BenchmarkSubmit measures a submission over HTTP to its commit: POST
// /api/records, validated, appended, committed by the person and answered
// 201, on a repository growing by one commit each time.
func BenchmarkSubmit(b *testing.B) {
	dir := recRepo(b)
	_, ts := recServer(b, dir, false)
	body := `{"type": "trafikkontroll", "by": "polisen", "form": "civil", "plats": "väg 47"}`
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/records", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-Email", anna)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			b.Fatalf("%d", resp.StatusCode)
		}
	}
}
