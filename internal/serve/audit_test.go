package serve

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// uploadCSV sends a file to /ladda-upp as who and returns the answer.
func uploadCSV(t *testing.T, url, who, name string, data []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("fil", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, url+"/ladda-upp", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Forwarded-Email", who)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestUploadNeverEchoesIDNumber: a personnummer in a cell of an uploaded
// file (saved by Excel as "CSV (semikolonavgränsad)", Windows-1252) is
// refused at its cell and never shown back, also when the file as a
// whole cannot be read as records (docs/reference.md §11, §12).
func TestUploadNeverEchoesIDNumber(t *testing.T) {
	dir := recRepo(t)
	_, ts := recServer(t, dir, false)
	for name, csv := range map[string]string{
		"with type": "sep=;\r\ndate;type;by;form;plats\r\n2022-06-01;trafikkontroll;polisen;civil;M\xe5rtensgatan\r\n" +
			"2022-06-02;trafikkontroll;polisen;civil;19811218-9876\r\n2022-06-03;trafikkontroll;polisen;fel;Sj\xf6v\xe4gen\r\n",
		"without type":  "sep=;\r\ndate;by;form;plats\r\n2022-06-02;polisen;civil;19811218-9876\r\n",
		"in the header": "sep=;\r\ndate;type;by;form;19811218-9876\r\n2022-06-02;trafikkontroll;polisen;civil;x\r\n",
	} {
		code, body := uploadCSV(t, ts.URL, anna, "trafik.csv", []byte(csv))
		if code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", name, code)
		}
		for _, s := range []string{"19811218-9876", "811218-9876", "9876"} {
			if strings.Contains(body, s) {
				t.Errorf("%s: the page shows %q", name, s)
			}
		}
	}
	if n := git(t, dir, "rev-list", "--count", "HEAD"); n != "1" {
		t.Errorf("%s commits after refused uploads", n)
	}
}
