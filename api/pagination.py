from __future__ import annotations

from rest_framework import pagination

DESCRIPTIONS = {
    "count": "Tổng số kết quả.",
    "next": "Địa chỉ trang sau (trống: trang cuối).",
    "previous": "Địa chỉ trang trước (trống: trang đầu).",
    "results": "Các kết quả của trang.",
}


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=2&page_size=100 (at most 500 a page)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    page_query_param = "page"
    page_query_description = "Số trang (từ 1)."
    page_size_query_description = "Số kết quả mỗi trang (mặc định 100, tối đa 500)."

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        for name, prop in result["properties"].items():
            prop["description"] = DESCRIPTIONS[name]
        return result
