package emulator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parsePackage parses the package's non-test files.
func parsePackage(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// receiverType is the name of fn's receiver type ("" for a function).
func receiverType(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return ""
	}
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// structFields returns the field names of the named struct types.
func structFields(files []*ast.File, types ...string) map[string]bool {
	fields := map[string]bool{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok || !containsString(types, ts.Name.Name) {
				return true
			}
			for _, field := range st.Fields.List {
				for _, name := range field.Names {
					fields[name.Name] = true
				}
			}
			return true
		})
	}
	return fields
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// The bank is the state apart from HTTP (issue 7), and arrows point one
// way, handlers → bank: no bank method sees a request or a response
// writer; nothing outside the bank takes its lock, reads or writes its
// state directly, or calls the building blocks that expect the lock held
// (…Locked); and the only code that drops a stored transaction's cached
// encodings is the one mutate helper, so no change can forget to.
func TestBankIsApartFromHTTP(t *testing.T) {
	fset, files := parsePackage(t)
	state := structFields(files, "bank", "state")
	lockedOps := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && receiverType(fn) == "bank" && strings.HasSuffix(fn.Name.Name, "Locked") {
				lockedOps[fn.Name.Name] = true
			}
		}
	}
	if len(lockedOps) == 0 || !state["mu"] || !state["accounts"] {
		t.Fatal("found no bank state or operations: has the bank moved?")
	}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			where := fset.Position(fn.Pos()).Filename + ": " + fn.Name.Name
			inBank := receiverType(fn) == "bank"
			if inBank {
				sig := signatureString(fn.Type)
				if strings.Contains(sig, "http.Request") || strings.Contains(sig, "http.ResponseWriter") {
					t.Errorf("%s: a bank operation takes or returns HTTP types (%s); parse in the handler and pass values", where, sig)
				}
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					inner, ok := n.X.(*ast.SelectorExpr)
					if !inBank && ok && inner.Sel.Name == "bank" && state[n.Sel.Name] {
						t.Errorf("%s touches the bank's %s directly; call a bank operation", where, n.Sel.Name)
					}
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					if !inBank && lockedOps[sel.Sel.Name] {
						t.Errorf("%s calls %s, which expects the bank's lock held; call a bank operation", where, sel.Sel.Name)
					}
					if sel.Sel.Name == "changed" && fn.Name.Name != "updateTransactionLocked" {
						t.Errorf("%s calls changed(); change stored transactions through updateTransactionLocked", where)
					}
				}
				return true
			})
		}
	}
}

// signatureString prints the parameter and result types of a function type.
func signatureString(typ *ast.FuncType) string {
	var b strings.Builder
	for _, list := range []*ast.FieldList{typ.Params, typ.Results} {
		if list == nil {
			continue
		}
		for _, field := range list.List {
			b.WriteString(exprString(field.Type))
			b.WriteString(" ")
		}
	}
	return b.String()
}

// exprString prints the type expressions a signature uses.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.ArrayType:
		return "[]" + exprString(e.Elt)
	case *ast.MapType:
		return "map[" + exprString(e.Key) + "]" + exprString(e.Value)
	case *ast.FuncType:
		return "func(" + signatureString(e) + ")"
	case *ast.Ellipsis:
		return "..." + exprString(e.Elt)
	case *ast.IndexExpr:
		return exprString(e.X) + "[" + exprString(e.Index) + "]"
	}
	return "?"
}
