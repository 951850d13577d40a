module github.com/nameauth/nameauth/bindings/go

go 1.22
