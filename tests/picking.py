"""Using a search picker (jiguan.widgets, picker.js) in a browser test, as a user does."""


def pick(page, selector, typed, name):
    """Type `typed` into the picker's box and choose the option naming `name`."""
    box = page.locator(selector)
    box.fill("")
    box.press_sequentially(typed)
    page.wait_for_function(
        """selector => {
            const box = document.querySelector(selector), list = document.querySelector(selector + "_listbox");
            return !list.hidden && !list.hasAttribute("aria-busy") && list.dataset.query === box.value.trim();
        }""",
        arg=selector,
    )
    page.locator(f"{selector}_listbox [role=option]", has_text=name).first.click()
