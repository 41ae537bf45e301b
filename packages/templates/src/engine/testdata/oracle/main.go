// Go 1.19 text/template oracle used to produce the engine's fixtures (go-oracle*.json) and to check the engine
// against real Go while developing. Not part of the build.
//
//	apt-get install golang-go golang-github-masterminds-sprig-dev   # Debian bookworm: Go 1.19, Sprig 3.2.3
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o /tmp/oracle .
//	ORACLE_FUNCS=none /tmp/oracle < cases.json > results.json
//
// cases.json is an array of {name, template, data, options}; each result has output, or error and errorKind.
// ORACLE_FUNCS: "sprig" (default; sprig.TxtFuncMap), "none" (builtins only), "fakes" (the typed-argument probes
// below, mirrored in ../oracle.spec.ts).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/template"

	"github.com/Masterminds/sprig"
)

type testCase struct {
	Name     string      `json:"name"`
	Template string      `json:"template"`
	Data     interface{} `json:"data"`
	Options  []string    `json:"options"`
}

var fakes = map[string]interface{}{
	"fs":     func(s string) string { return "s:" + s },
	"fi":     func(i int) string { return fmt.Sprint("i:", i) },
	"ff":     func(f float64) string { return fmt.Sprint("f:", f) },
	"fb":     func(b bool) string { return fmt.Sprint("b:", b) },
	"fl":     func(l []interface{}) string { return fmt.Sprintf("l:%v:%d", l, len(l)) },
	"fm":     func(m map[string]interface{}) string { return fmt.Sprintf("m:%v", m) },
	"fsl":    func(l []string) string { return fmt.Sprintf("sl:%v", l) },
	"fa":     func(a interface{}) string { return fmt.Sprintf("a:%T:%v", a, a) },
	"fvi":    func(xs ...int) string { return fmt.Sprint("vi:", xs) },
	"fvs":    func(p string, xs ...string) string { return fmt.Sprint("vs:", p, xs) },
	"fva":    func(xs ...interface{}) string { return fmt.Sprintf("va:%d:%v", len(xs), xs) },
	"fmix":   func(i int, s string, rest ...float64) string { return fmt.Sprint("mix:", i, s, rest) },
	"fnil":   func() interface{} { return nil },
	"ferr":   func(s string) (string, error) { return "", errors.New("bad " + s) },
	"flist":  func() []interface{} { return []interface{}{1, "a"} },
	"fint64": func() int64 { return 5 },
	"fstrs":  func() []string { return []string{"x", "y"} },
	"fmapss": func() map[string]string { return map[string]string{"b": "2", "a": "1"} },
	"fints":  func() []int { return []int{1, 2} },
}

func main() {
	var cs []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cs); err != nil {
		panic(err)
	}
	out := []map[string]string{}
	for _, c := range cs {
		r := map[string]string{"name": c.Name}
		t := template.New(c.Name)
		switch os.Getenv("ORACLE_FUNCS") {
		case "none":
		case "fakes":
			t = t.Funcs(fakes)
		default:
			t = t.Funcs(sprig.TxtFuncMap())
		}
		for _, o := range c.Options {
			t = t.Option(o)
		}
		t, err := t.Parse(c.Template)
		if err != nil {
			r["error"], r["errorKind"] = err.Error(), "parse"
		} else {
			var b bytes.Buffer
			if err := t.Execute(&b, c.Data); err != nil {
				r["error"], r["errorKind"] = err.Error(), "exec"
			} else {
				r["output"] = b.String()
			}
		}
		out = append(out, r)
	}
	e := json.NewEncoder(os.Stdout)
	e.SetEscapeHTML(false)
	e.SetIndent("", " ")
	if err := e.Encode(out); err != nil {
		panic(err)
	}
}
